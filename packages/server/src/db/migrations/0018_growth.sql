-- Growth tools: who may join a program, and the merchant's queue of applications (分销员申请).
--   open      anyone joins (with or without an invite code)
--   invite    a valid invite code of a member is required
--   approval  the sign-up is an application; the member is created when the merchant approves it
ALTER TABLE programs ADD COLUMN join_policy text NOT NULL DEFAULT 'open' CHECK (join_policy IN ('open', 'invite', 'approval'));
--;
CREATE TABLE promoter_applications (
  merchant_id text NOT NULL,
  id text NOT NULL,
  program_id text NOT NULL,
  promoter_id text NOT NULL REFERENCES promoters(id),
  invite_code text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  reason text,
  applied_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by text,
  PRIMARY KEY (merchant_id, id),
  FOREIGN KEY (merchant_id, program_id) REFERENCES programs(merchant_id, id)
);
--;
-- One open application per person and program.
CREATE UNIQUE INDEX promoter_applications_pending ON promoter_applications (merchant_id, program_id, promoter_id) WHERE status = 'pending';
--;
CREATE INDEX promoter_applications_queue ON promoter_applications (merchant_id, status, applied_at, id);
--;
-- A promoter's own applications across merchants (the portal's "my applications").
CREATE INDEX promoter_applications_promoter ON promoter_applications (promoter_id);

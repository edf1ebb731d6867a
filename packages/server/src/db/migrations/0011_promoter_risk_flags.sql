-- Risk flags on a promoter (风险标记), per merchant. While a flag is open (closed_at IS NULL) no withdrawal of the
-- promoter at that merchant is approved automatically: a reviewer decides. The risk rules will open and close flags;
-- until then a merchant does it by hand (POST /v1/promoters/:promoterId/risk-flags).
CREATE TABLE promoter_risk_flags (
  merchant_id text NOT NULL,
  id text NOT NULL,
  promoter_id text NOT NULL REFERENCES promoters(id),
  reason text NOT NULL,
  opened_at timestamptz NOT NULL,
  opened_by text NOT NULL,
  closed_at timestamptz,
  closed_by text,
  PRIMARY KEY (merchant_id, id)
);
--;
CREATE INDEX promoter_risk_flags_open ON promoter_risk_flags (merchant_id, promoter_id) WHERE closed_at IS NULL;

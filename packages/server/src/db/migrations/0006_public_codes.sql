-- The registry of public codes. A membership's code (its promo and invite code) and a short link's code are typed or
-- followed without naming the merchant (/r/{code}, POST /v1/join), so each must have one owner in the whole
-- deployment. The tenant tables only keep codes unique per merchant (their keys include merchant_id, as sharding by
-- merchant_id requires), so global uniqueness lives here: one row per code, keyed by the code alone, written in the
-- same transaction as the row that owns the code (INSERT … ON CONFLICT (code) DO NOTHING; on a conflict the writer
-- tries another code, or answers 409 CODE_TAKEN for a code the merchant chose). Under Citus it is a reference table
-- (docs/citus.sql): it has no merchant_id in its key on purpose, and no foreign key to a distributed table.
CREATE TABLE public_codes (
  code text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('membership', 'link')),
  merchant_id text NOT NULL REFERENCES merchants(id),
  program_id text NOT NULL,
  promoter_id text NOT NULL,
  created_at timestamptz NOT NULL
);
--;
-- Backfill. Every existing code is registered for its earliest holder: by creation time (joined_at, created_at), then
-- a membership before a link, then merchant_id, program_id and promoter_id — the same winner on every run.
CREATE TEMPORARY TABLE codes_0006 ON COMMIT DROP AS
SELECT c.*, row_number() OVER (PARTITION BY c.code ORDER BY c.created_at, c.kind = 'link', c.merchant_id, c.program_id, c.promoter_id) AS holder_no
FROM (
  SELECT code, 'membership' AS kind, merchant_id, program_id, promoter_id, joined_at AS created_at FROM memberships
  UNION ALL
  SELECT code, 'link', merchant_id, program_id, promoter_id, created_at FROM links
) c;
--;
INSERT INTO public_codes (code, kind, merchant_id, program_id, promoter_id, created_at)
SELECT code, kind, merchant_id, program_id, promoter_id, created_at FROM codes_0006 WHERE holder_no = 1;
--;
-- Every later holder of a code (a collision across merchants, possible before this migration) gets a new code: its
-- old code followed by two base32 characters taken from an md5 of the holder and an attempt counter (the first free
-- one), so the new code is the same on every run and recognisably the old one. The row is renamed in place, the
-- clicks recorded under the old code for this holder follow it, and the merchant's audit log keeps old and new code
-- (action code.reassigned) so that the promoter can be told. Nothing is deleted.
DO $$
DECLARE
  r record;
  alphabet constant text := '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  h text;
  candidate text;
  attempt integer;
BEGIN
  FOR r IN SELECT * FROM codes_0006 WHERE holder_no > 1 ORDER BY code, holder_no LOOP
    attempt := 0;
    LOOP
      h := md5(r.kind || ':' || r.merchant_id || ':' || r.program_id || ':' || r.promoter_id || ':' || r.code || ':' || attempt);
      candidate := left(r.code, 14)
        || substr(alphabet, get_byte(decode(substr(h, 1, 2), 'hex'), 0) % 32 + 1, 1)
        || substr(alphabet, get_byte(decode(substr(h, 3, 2), 'hex'), 0) % 32 + 1, 1);
      INSERT INTO public_codes (code, kind, merchant_id, program_id, promoter_id, created_at)
      VALUES (candidate, r.kind, r.merchant_id, r.program_id, r.promoter_id, r.created_at)
      ON CONFLICT (code) DO NOTHING;
      EXIT WHEN FOUND;
      attempt := attempt + 1;
      IF attempt >= 10000 THEN
        RAISE EXCEPTION 'migration 0006: no free code for % %', r.kind, r.code;
      END IF;
    END LOOP;
    IF r.kind = 'membership' THEN
      UPDATE memberships SET code = candidate
      WHERE merchant_id = r.merchant_id AND program_id = r.program_id AND promoter_id = r.promoter_id;
    ELSE
      UPDATE links SET code = candidate WHERE merchant_id = r.merchant_id AND code = r.code;
    END IF;
    UPDATE clicks SET link_code = candidate
    WHERE merchant_id = r.merchant_id AND link_code = r.code AND promoter_id = r.promoter_id;
    INSERT INTO audit_log (merchant_id, id, actor, action, subject, details, created_at)
    VALUES (
      r.merchant_id,
      'aud_m0006' || left(md5(r.kind || ':' || r.merchant_id || ':' || r.program_id || ':' || r.promoter_id || ':' || r.code), 20),
      'system:migration-0006',
      'code.reassigned',
      'promoter:' || r.promoter_id,
      jsonb_build_object('kind', r.kind, 'programId', r.program_id, 'from', r.code, 'to', candidate,
                         'reason', 'the code was also held by an earlier promoter or link of another owner'),
      now()
    );
  END LOOP;
END;
$$;
--;
-- Lookups by code alone go through public_codes now; the tenant tables are read by (merchant_id, code), which their
-- own keys index. These indexes on the code alone served the old global lookups only.
DROP INDEX memberships_code;
--;
DROP INDEX links_code;

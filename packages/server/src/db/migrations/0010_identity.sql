-- Identity and payout accounts (modules/identity). One person, one promoter account: an ID number's blind index is
-- unique, so two promoters recording the same number at once cannot both succeed (the second is IDENTITY_IN_USE).
DROP INDEX IF EXISTS promoter_identities_id_number;
--;
CREATE UNIQUE INDEX promoter_identities_id_number ON promoter_identities (id_number_index);
--;
-- Removing a payout account asks whether a withdrawal still pays to it.
CREATE INDEX withdrawals_payout_account ON withdrawals (payout_account_id) WHERE state IN ('requested', 'approved', 'awaiting_funds', 'paying');

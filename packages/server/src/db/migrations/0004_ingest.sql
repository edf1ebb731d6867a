-- New commission lines have no available_at until their order completes: keep them out of the due-lines index
-- (the release job asks for available_at <= now, which implies NOT NULL, so it still uses the index).
DROP INDEX commission_lines_due;
--;
CREATE INDEX commission_lines_due ON commission_lines (merchant_id, available_at) WHERE state = 'pending' AND available_at IS NOT NULL;

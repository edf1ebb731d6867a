-- Customers' phones and names and promoters' phones sealed at rest (crypto/sealed.ts): the ciphertext (`*_sealed`, bound to
-- its row by the additional data), a blind index for exact search (`*_index`, HMAC of the normalised value) and the
-- masked form every list shows (`*_masked`: 138****1234, 王*), so that no list decrypts. The clear columns stay, empty:
-- rows written before this migration are sealed in code at start-up (a migration cannot hold the key), a batch at a
-- time, each batch clearing what it sealed (modules/customers/contact-sealing.ts); new rows never fill them.
ALTER TABLE customers
  ADD COLUMN phone_sealed text,
  ADD COLUMN phone_index text,
  ADD COLUMN phone_masked text,
  ADD COLUMN name_sealed text,
  ADD COLUMN name_index text,
  ADD COLUMN name_masked text;
--;
CREATE INDEX customers_phone_index ON customers (merchant_id, phone_index) WHERE phone_index IS NOT NULL;
--;
CREATE INDEX customers_name_index ON customers (merchant_id, name_index) WHERE name_index IS NOT NULL;
--;
-- The rows still in clear: what the start-up sealing walks (empty once it has run, so a start finds none at once).
CREATE INDEX customers_clear ON customers (merchant_id, id) WHERE phone IS NOT NULL OR name IS NOT NULL;
--;
ALTER TABLE promoters
  ADD COLUMN phone_sealed text,
  ADD COLUMN phone_index text,
  ADD COLUMN phone_masked text;
--;
CREATE INDEX promoters_phone_index ON promoters (phone_index) WHERE phone_index IS NOT NULL;
--;
CREATE INDEX promoters_clear ON promoters (id) WHERE phone IS NOT NULL;
--;
-- The paid event of an order kept the order as received, the customer's phone and name with it: from now on it keeps
-- the customer's reference only (the phone and name are sealed on the customer), and the events already stored lose
-- theirs here (no key is needed to remove a value). Nothing reads them from the event.
UPDATE order_events SET payload = payload #- '{customer,phone}' #- '{customer,name}'
  WHERE type = 'paid' AND (payload->'customer' ? 'phone' OR payload->'customer' ? 'name');

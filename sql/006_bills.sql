-- mod_shop schema 6: what bills need to become legal documents and to be produced:
-- the mention printed for an exempt tax, the numbering series each shop issues from,
-- the sale date and public engagement number printed on invoices, pre-pay production
-- errors and per-line feedback, staff notes, and the dashboard's index.

ALTER TABLE {shop}tax
  ADD COLUMN IF NOT EXISTS exemption_note VARCHAR(255) NOT NULL DEFAULT ''
    COMMENT 'legal mention printed on documents having a line with this tax, e.g. Exoneration de TVA, art. 261-4-4 a du CGI';

ALTER TABLE {shop}shop
  ADD COLUMN IF NOT EXISTS invoice_series_id BIGINT NULL COMMENT 'series of this shop''s invoices, NULL = first enabled invoice series',
  ADD COLUMN IF NOT EXISTS credit_series_id BIGINT NULL COMMENT 'series of this shop''s credit notes, NULL = first enabled credit_note series';

ALTER TABLE {shop}bill_line
  ADD COLUMN IF NOT EXISTS prepay_error TEXT NULL COMMENT 'last pre-pay production failure, NULL = none',
  ADD COLUMN IF NOT EXISTS production_feedback LONGTEXT NULL COMMENT 'JSON {public, private, salesadmin} of this line''s production' CHECK (JSON_VALID(production_feedback));

ALTER TABLE {shop}bill
  ADD COLUMN IF NOT EXISTS sale_at BIGINT NULL COMMENT 'date of the sale printed on the invoice (payment date, or delivery date set by staff)',
  ADD COLUMN IF NOT EXISTS engagement_number VARCHAR(64) NULL COMMENT 'public buyers: engagement / purchase order number printed on the invoice';

CREATE TABLE IF NOT EXISTS {shop}bill_note (
  id BIGINT NOT NULL AUTO_INCREMENT,
  bill_id BIGINT NOT NULL,
  userid BIGINT NULL COMMENT 'mdl user.id of the staff member',
  note TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY bill_note_bill_ix (bill_id, id),
  CONSTRAINT {shop}bill_note_bill_fk FOREIGN KEY (bill_id) REFERENCES {shop}bill (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='staff notes on a bill';

-- the back-office dashboard sums the paid bills (SOLDOUT, COMPLETE, PAYBACK) by month of payment
ALTER TABLE {shop}bill ADD INDEX IF NOT EXISTS bill_paid_ix (status, paid_at);

INSERT IGNORE INTO {shop}schema_version (version, name, applied_at) VALUES (6, '006_bills', UNIX_TIMESTAMP());

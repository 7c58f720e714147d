-- mod_shop schema 3: payment events (idempotent gateway notifications and offline payments)
-- and issued documents (invoices and credit notes, immutable once issued).

CREATE TABLE IF NOT EXISTS {shop}payment_event (
  id BIGINT NOT NULL AUTO_INCREMENT,
  gateway VARCHAR(16) NOT NULL COMMENT 'gateway name as in paymodes',
  event_id VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'gateway event or transaction id, offline: the reference typed by staff',
  transid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'bill transid as reported by the gateway, kept even when unknown',
  bill_id BIGINT NULL COMMENT 'NULL when the transid matched no bill',
  gateway_ref VARCHAR(128) NULL COMMENT 'gateway transaction reference',
  amount_minor BIGINT NOT NULL DEFAULT 0,
  currency CHAR(3) NOT NULL,
  outcome VARCHAR(16) NOT NULL COMMENT 'paid | pending | refused | failed | cancelled | refunded',
  result VARCHAR(16) NOT NULL DEFAULT 'received' COMMENT 'what apply did: received | applied | mismatch | unknown_bill | ignored | error',
  result_detail TEXT NULL,
  paid_on DATE NULL COMMENT 'value date of an offline payment',
  userid BIGINT NULL COMMENT 'mdl user.id of staff recording an offline payment, NULL = gateway',
  remote_ip VARCHAR(45) NULL,
  raw_payload MEDIUMBLOB NULL COMMENT 'body exactly as received (signature verification input)',
  received_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY payment_event_uix (gateway, event_id) COMMENT 'a replayed event is a no-op',
  KEY payment_event_bill_ix (bill_id, received_at),
  KEY payment_event_transid_ix (transid),
  KEY payment_event_received_ix (received_at),
  CONSTRAINT {shop}payment_event_bill_fk FOREIGN KEY (bill_id) REFERENCES {shop}bill (id) ON DELETE SET NULL,
  CONSTRAINT payment_event_currency_ck CHECK (currency REGEXP '^[A-Z]{3}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='payment notifications and recorded payments';

CREATE TABLE IF NOT EXISTS {shop}invoice (
  id BIGINT NOT NULL AUTO_INCREMENT,
  series_id BIGINT NOT NULL,
  number VARCHAR(32) NOT NULL COMMENT 'legal number from the series format and counter',
  year INT NOT NULL COMMENT 'counter year used (0 for a series without yearly reset)',
  kind VARCHAR(12) NOT NULL COMMENT 'invoice | credit_note',
  bill_id BIGINT NOT NULL,
  credits_invoice_id BIGINT NULL COMMENT 'credit notes: the invoice corrected',
  currency CHAR(3) NOT NULL,
  untaxed_minor BIGINT NOT NULL COMMENT 'document totals, shipping included, negative on credit notes',
  taxes_minor BIGINT NOT NULL,
  taxed_minor BIGINT NOT NULL,
  reason TEXT NULL COMMENT 'credit notes: why',
  pdf_path VARCHAR(512) NULL COMMENT 'stored PDF, relative to the shop document store',
  pdf_sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL COMMENT 'hex SHA-256 of the stored PDF bytes',
  issued_at BIGINT NOT NULL,
  issued_by BIGINT NULL COMMENT 'mdl user.id, NULL = system (payment)',
  one_invoice_per_bill BIGINT AS (IF(kind = 'invoice', bill_id, NULL)) PERSISTENT COMMENT 'unique: at most one invoice per bill, any number of credit notes',
  PRIMARY KEY (id),
  UNIQUE KEY invoice_number_uix (series_id, number),
  UNIQUE KEY invoice_bill_uix (one_invoice_per_bill),
  KEY invoice_bill_ix (bill_id),
  KEY invoice_credits_ix (credits_invoice_id),
  KEY invoice_issued_ix (issued_at),
  CONSTRAINT {shop}invoice_series_fk FOREIGN KEY (series_id) REFERENCES {shop}invoice_series (id),
  CONSTRAINT {shop}invoice_bill_fk FOREIGN KEY (bill_id) REFERENCES {shop}bill (id),
  CONSTRAINT {shop}invoice_credits_fk FOREIGN KEY (credits_invoice_id) REFERENCES {shop}invoice (id),
  CONSTRAINT invoice_kind_ck CHECK (kind IN ('invoice', 'credit_note') AND (kind = 'credit_note') = (credits_invoice_id IS NOT NULL)),
  CONSTRAINT invoice_ck CHECK (currency REGEXP '^[A-Z]{3}$' AND taxed_minor = untaxed_minor + taxes_minor)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='issued invoices and credit notes, never updated except pdf_path/pdf_sha256 once';

INSERT IGNORE INTO {shop}schema_version (version, name, applied_at) VALUES (3, '003_payments_invoices', UNIX_TIMESTAMP());

-- mod_shop schema 5: runtime state shared by every httpd node: sessions (write-through copy of
-- memcached), used login-ticket nonces, throttle counters, mail outbox, settings, transaction trace.

CREATE TABLE IF NOT EXISTS {shop}session (
  id CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'session id from the shop cookie',
  data MEDIUMTEXT NOT NULL COMMENT 'serialized session (cart, steps, flash), JSON',
  userid BIGINT NULL COMMENT 'mdl user.id bound to the session, NULL = anonymous',
  created_at BIGINT NOT NULL,
  modified_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY session_expires_ix (expires_at),
  KEY session_user_ix (userid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='shop sessions and carts';

CREATE TABLE IF NOT EXISTS {shop}ticket_nonce (
  nonce VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'nonce of a consumed login ticket',
  userid BIGINT NOT NULL DEFAULT 0 COMMENT 'mdl user.id the ticket logged in',
  used_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL COMMENT 'ticket expiry, the row may be purged after it',
  PRIMARY KEY (nonce),
  KEY ticket_nonce_expires_ix (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='single-use login tickets: INSERT fails on reuse';

CREATE TABLE IF NOT EXISTS {shop}throttle (
  bucket VARCHAR(190) NOT NULL COMMENT 'what is limited and for whom, e.g. login:ip:203.0.113.7',
  window_start BIGINT NOT NULL COMMENT 'start of the fixed window, unix seconds',
  hits INT NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, window_start),
  KEY throttle_window_ix (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='rate-limit counters: INSERT ... ON DUPLICATE KEY UPDATE hits = hits + 1';

CREATE TABLE IF NOT EXISTS {shop}mail_outbox (
  id BIGINT NOT NULL AUTO_INCREMENT,
  to_addr VARCHAR(255) NOT NULL,
  to_name VARCHAR(255) NOT NULL DEFAULT '',
  reply_to VARCHAR(255) NULL,
  subject VARCHAR(500) NOT NULL,
  body_text LONGTEXT NOT NULL,
  body_html LONGTEXT NULL,
  attachments LONGTEXT NULL COMMENT 'JSON array of {path, name, mime}' CHECK (JSON_VALID(attachments)),
  template VARCHAR(64) NOT NULL DEFAULT '' COMMENT 'e.g. transaction_input, sales_feedback, transaction_confirm, new_password',
  bill_id BIGINT NULL,
  status VARCHAR(8) NOT NULL DEFAULT 'queued' COMMENT 'queued | sending | sent | failed (gave up)',
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT NULL,
  PRIMARY KEY (id),
  KEY mail_outbox_due_ix (status, next_attempt_at),
  KEY mail_outbox_bill_ix (bill_id),
  CONSTRAINT {shop}mail_outbox_bill_fk FOREIGN KEY (bill_id) REFERENCES {shop}bill (id) ON DELETE SET NULL,
  CONSTRAINT mail_outbox_status_ck CHECK (status IN ('queued', 'sending', 'sent', 'failed'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='outgoing mail queue with retries';

CREATE TABLE IF NOT EXISTS {shop}setting (
  name VARCHAR(100) NOT NULL,
  value LONGTEXT NOT NULL,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='shop settings (local_shop config_plugins equivalents): seller identity, bank, options';

CREATE TABLE IF NOT EXISTS {shop}trace (
  id BIGINT NOT NULL AUTO_INCREMENT,
  transid VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
  created_at BIGINT NOT NULL,
  usec INT NOT NULL DEFAULT 0 COMMENT 'microseconds within created_at',
  level VARCHAR(8) NOT NULL DEFAULT 'info' COMMENT 'debug | info | notice | warn | error',
  source VARCHAR(32) NOT NULL DEFAULT '' COMMENT 'gateway name, action name, cron, ...',
  message TEXT NOT NULL COMMENT 'secrets masked',
  PRIMARY KEY (id),
  KEY trace_transid_ix (transid, id),
  KEY trace_created_ix (created_at),
  CONSTRAINT trace_level_ck CHECK (level IN ('debug', 'info', 'notice', 'warn', 'error'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='per-transaction trace (local_shop merchant_trace.log)';

INSERT IGNORE INTO {shop}schema_version (version, name, applied_at) VALUES (5, '005_runtime', UNIX_TIMESTAMP());

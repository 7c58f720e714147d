-- mod_shop schema 4: what production leaves behind: product instances ("unites de vente"),
-- their life-cycle events, and stock reservations held by unpaid bills.

CREATE TABLE IF NOT EXISTS {shop}product_instance (
  id BIGINT NOT NULL AUTO_INCREMENT,
  customer_id BIGINT NOT NULL,
  product_id BIGINT NULL COMMENT 'catalogue product, NULL if it was deleted since',
  product_code VARCHAR(32) NOT NULL COMMENT 'kept even when the product is gone',
  initial_line_id BIGINT NULL COMMENT 'bill line that created it, NULL for manual instances',
  current_line_id BIGINT NULL COMMENT 'last bill line that renewed or prolonged it',
  reference VARCHAR(19) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'XXXX-XXXX-XXXX-XXCC with checksum CC',
  context_type VARCHAR(32) NOT NULL DEFAULT '' COMMENT 'userenrol | roleassign | course | category | course_module | ltiprovider | vmoodle | registered_product',
  instance_id BIGINT NOT NULL DEFAULT 0 COMMENT 'id in the Moodle table named by context_type, 0 = unassigned (seats)',
  moodle_refs LONGTEXT NULL COMMENT 'JSON other Moodle ids touched: courseid, userid, enrolid, roleid, contextid, groupids' CHECK (JSON_VALID(moodle_refs)),
  start_at BIGINT NOT NULL DEFAULT 0,
  end_at BIGINT NOT NULL DEFAULT 0 COMMENT '0 = unlimited',
  status VARCHAR(10) NOT NULL DEFAULT 'active' COMMENT 'active | suspended (local_shop soft delete), time states are computed',
  production_data LONGTEXT NULL COMMENT 'JSON action name and parameters used, plus action extras' CHECK (JSON_VALID(production_data)),
  extra_data LONGTEXT NULL COMMENT 'JSON free data' CHECK (JSON_VALID(extra_data)),
  test TINYINT(1) NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY product_instance_ref_uix (reference),
  KEY product_instance_customer_ix (customer_id),
  KEY product_instance_product_ix (product_id),
  KEY product_instance_code_ix (product_code),
  KEY product_instance_initial_ix (initial_line_id),
  KEY product_instance_current_ix (current_line_id),
  KEY product_instance_context_ix (context_type, instance_id),
  KEY product_instance_end_ix (end_at),
  CONSTRAINT {shop}product_instance_customer_fk FOREIGN KEY (customer_id) REFERENCES {shop}customer (id),
  CONSTRAINT {shop}product_instance_product_fk FOREIGN KEY (product_id) REFERENCES {shop}product (id) ON DELETE SET NULL,
  CONSTRAINT {shop}product_instance_initial_fk FOREIGN KEY (initial_line_id) REFERENCES {shop}bill_line (id),
  CONSTRAINT {shop}product_instance_current_fk FOREIGN KEY (current_line_id) REFERENCES {shop}bill_line (id),
  CONSTRAINT product_instance_status_ck CHECK (status IN ('active', 'suspended')),
  CONSTRAINT product_instance_dates_ck CHECK (end_at = 0 OR end_at >= start_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='purchased product instances (local_shop_product)';

CREATE TABLE IF NOT EXISTS {shop}product_event (
  id BIGINT NOT NULL AUTO_INCREMENT,
  instance_id BIGINT NOT NULL,
  line_id BIGINT NULL COMMENT 'bill line causing the event',
  event_type VARCHAR(16) NOT NULL DEFAULT 'billed' COMMENT 'billed | update | updated | delete | restore (local_shop names)',
  data LONGTEXT NULL CHECK (JSON_VALID(data)),
  userid BIGINT NULL COMMENT 'mdl user.id acting, NULL = system',
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  KEY product_event_instance_ix (instance_id, created_at),
  KEY product_event_line_ix (line_id),
  CONSTRAINT {shop}product_event_instance_fk FOREIGN KEY (instance_id) REFERENCES {shop}product_instance (id) ON DELETE CASCADE,
  CONSTRAINT {shop}product_event_line_fk FOREIGN KEY (line_id) REFERENCES {shop}bill_line (id) ON DELETE SET NULL,
  CONSTRAINT product_event_type_ck CHECK (event_type IN ('billed', 'update', 'updated', 'delete', 'restore'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='product instance life-cycle (local_shop_productevent)';

CREATE TABLE IF NOT EXISTS {shop}stock_reservation (
  id BIGINT NOT NULL AUTO_INCREMENT,
  bill_id BIGINT NOT NULL,
  product_id BIGINT NOT NULL,
  quantity INT NOT NULL,
  expires_at BIGINT NOT NULL COMMENT 'cron releases unpaid holds after this time',
  released TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 = quantity given back to product.reserved (expired, cancelled) or converted into a sale',
  released_at BIGINT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY stock_reservation_uix (bill_id, product_id),
  KEY stock_reservation_product_ix (product_id),
  KEY stock_reservation_expiry_ix (released, expires_at),
  CONSTRAINT {shop}stock_reservation_bill_fk FOREIGN KEY (bill_id) REFERENCES {shop}bill (id) ON DELETE CASCADE,
  CONSTRAINT {shop}stock_reservation_product_fk FOREIGN KEY (product_id) REFERENCES {shop}product (id) ON DELETE CASCADE,
  CONSTRAINT stock_reservation_qty_ck CHECK (quantity > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='stock held for placed, unpaid bills';

INSERT IGNORE INTO {shop}schema_version (version, name, applied_at) VALUES (4, '004_production', UNIX_TIMESTAMP());

-- mod_shop schema 1: schema version, taxes, catalogues, shops, categories, products, prices,
-- set/bundle elements, slave-catalogue overrides, shipping zones and rules.
-- Conventions (see sql/README.md): {shop} = shop table prefix, ids BIGINT, times BIGINT unix seconds,
-- money BIGINT minor units next to CHAR(3) ISO 4217 currency, JSON = LONGTEXT CHECK (JSON_VALID).

CREATE TABLE IF NOT EXISTS {shop}schema_version (
  version INT NOT NULL COMMENT 'migration number NNN of sql/NNN_name.sql',
  name VARCHAR(100) NOT NULL,
  applied_at BIGINT NOT NULL,
  PRIMARY KEY (version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='applied schema migrations';

CREATE TABLE IF NOT EXISTS {shop}tax (
  id BIGINT NOT NULL AUTO_INCREMENT,
  title VARCHAR(128) NOT NULL,
  country CHAR(2) NULL COMMENT 'informational ISO 3166 code, the rate never depends on the buyer country',
  rate DECIMAL(10,4) NOT NULL DEFAULT 0 COMMENT 'percent, exposed to the formula as $tr',
  formula VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'safe-evaluated assignment of $ttc from $ht and $tr, e.g. $ttc = $ht * (1 + $tr/100), empty = untaxed',
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  CONSTRAINT tax_rate_ck CHECK (rate >= 0 AND rate < 1000)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='taxes (local_shop_tax)';

CREATE TABLE IF NOT EXISTS {shop}catalogue (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL,
  description LONGTEXT NULL,
  kind VARCHAR(10) NOT NULL DEFAULT 'standalone' COMMENT 'standalone | master | slave (local_shop encoded it in groupid)',
  master_id BIGINT NULL COMMENT 'set only for a slave: the master catalogue it overrides by product code',
  country_restrictions VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'comma list of ISO country codes offered in forms, empty = all',
  bill_footer LONGTEXT NULL COMMENT 'HTML printed at the bottom of bills',
  cache_version BIGINT NOT NULL DEFAULT 0 COMMENT 'bumped on every catalogue change, invalidates per-child caches',
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY catalogue_name_uix (name),
  KEY catalogue_master_ix (master_id),
  CONSTRAINT {shop}catalogue_master_fk FOREIGN KEY (master_id) REFERENCES {shop}catalogue (id),
  CONSTRAINT catalogue_kind_ck CHECK (kind IN ('standalone', 'master', 'slave')),
  CONSTRAINT catalogue_master_ck CHECK ((kind = 'slave') = (master_id IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='product lines (local_shop_catalog)';

CREATE TABLE IF NOT EXISTS {shop}shop (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL COMMENT 'also the default bill title',
  description LONGTEXT NULL COMMENT 'HTML shown above the catalogue',
  catalogue_id BIGINT NOT NULL,
  currency CHAR(3) NOT NULL DEFAULT 'EUR',
  customer_organisation_required TINYINT(1) NOT NULL DEFAULT 0,
  enduser_organisation_required TINYINT(1) NOT NULL DEFAULT 0,
  enduser_mobilephone_required TINYINT(1) NOT NULL DEFAULT 0,
  print_tabbed_categories TINYINT(1) NOT NULL DEFAULT 1,
  support_courseid BIGINT NOT NULL DEFAULT 0 COMMENT 'mdl course.id of the default customer support course, 0 = none',
  force_download_leaflet TINYINT(1) NOT NULL DEFAULT 1,
  allow_tax TINYINT(1) NOT NULL DEFAULT 1 COMMENT 'stored and exported, not used in computations (as local_shop)',
  terms LONGTEXT NULL COMMENT 'shop-wide sales conditions (EULA), HTML',
  paymodes LONGTEXT NULL COMMENT 'JSON object gateway name -> true/false, e.g. {"transfer":true,"paypal":false}' CHECK (JSON_VALID(paymodes)),
  default_paymode VARCHAR(16) NULL,
  navsteps VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'comma list of front steps, empty = setting defaultnavsteps',
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  sortorder INT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY shop_name_uix (name),
  KEY shop_catalogue_ix (catalogue_id),
  CONSTRAINT {shop}shop_catalogue_fk FOREIGN KEY (catalogue_id) REFERENCES {shop}catalogue (id),
  CONSTRAINT shop_currency_ck CHECK (currency REGEXP '^[A-Z]{3}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='front-office instances (local_shop)';

CREATE TABLE IF NOT EXISTS {shop}category (
  id BIGINT NOT NULL AUTO_INCREMENT,
  catalogue_id BIGINT NOT NULL,
  parent_id BIGINT NULL COMMENT 'NULL = top level',
  name VARCHAR(255) NOT NULL,
  description LONGTEXT NULL,
  seo_alias VARCHAR(64) NULL COMMENT 'URL alias, unique per catalogue',
  seo_title VARCHAR(255) NULL,
  seo_keywords VARCHAR(255) NULL,
  seo_description TEXT NULL,
  sortorder INT NOT NULL DEFAULT 0 COMMENT 'order among siblings',
  visible TINYINT(1) NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY category_alias_uix (catalogue_id, seo_alias),
  KEY category_tree_ix (catalogue_id, parent_id, sortorder),
  KEY category_parent_ix (parent_id),
  CONSTRAINT {shop}category_catalogue_fk FOREIGN KEY (catalogue_id) REFERENCES {shop}catalogue (id) ON DELETE CASCADE,
  CONSTRAINT {shop}category_parent_fk FOREIGN KEY (parent_id) REFERENCES {shop}category (id),
  CONSTRAINT category_alias_ck CHECK (seo_alias IS NULL OR seo_alias REGEXP '^[a-z0-9][a-z0-9_-]*$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='product categories, a tree per catalogue';

CREATE TABLE IF NOT EXISTS {shop}product (
  id BIGINT NOT NULL AUTO_INCREMENT,
  catalogue_id BIGINT NOT NULL,
  category_id BIGINT NULL,
  owner_userid BIGINT NOT NULL DEFAULT 0 COMMENT 'mdl user.id of the product owner, 0 = site',
  code VARCHAR(32) NOT NULL COMMENT 'business reference, unique per catalogue (case-insensitive), URL key',
  idnumber VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'external reference',
  name VARCHAR(255) NOT NULL,
  description LONGTEXT NULL,
  short_description TEXT NULL,
  notes LONGTEXT NULL COMMENT 'private staff notes',
  terms LONGTEXT NULL COMMENT 'product-specific sales conditions, added to the shop terms',
  status VARCHAR(20) NOT NULL DEFAULT 'PREVIEW' COMMENT 'front lists AVAILABLE and PROVIDING only',
  kind VARCHAR(8) NOT NULL DEFAULT 'product' COMMENT 'product | set (display group of purchasable elements) | bundle (sold as one)',
  audience TINYINT NOT NULL DEFAULT 0 COMMENT 'local_shop onlyforloggedin: 2 customers only, 1 logged-in only, 0 everybody, -1 logged-out only',
  max_quantity INT NOT NULL DEFAULT 0 COMMENT 'per order, 0 = unlimited, forced to the action maximum on save',
  passcode_hash VARCHAR(255) NULL COMMENT 'crypt() hash of the purchase passcode, NULL = none',
  seat_mode VARCHAR(8) NOT NULL DEFAULT 'none' COMMENT 'none | one (one seat whatever the quantity) | per_unit',
  renewable TINYINT(1) NOT NULL DEFAULT 0 COMMENT 'instances get an end date and can be prolonged',
  required_data LONGTEXT NULL COMMENT 'JSON array of per-unit customer input field descriptors' CHECK (JSON_VALID(required_data)),
  action VARCHAR(40) NULL COMMENT 'local_shop handler name, e.g. std_enrolonecourse, NULL = none',
  action_params LONGTEXT NULL COMMENT 'JSON object of action parameters (local_shop handlerparams)' CHECK (JSON_VALID(action_params)),
  production_data LONGTEXT NULL COMMENT 'JSON static data passed to the action' CHECK (JSON_VALID(production_data)),
  stock INT NULL COMMENT 'units left for sale, NULL = unlimited',
  reserved INT NOT NULL DEFAULT 0 COMMENT 'units held by unpaid placed bills, see stock_reservation',
  sold INT NOT NULL DEFAULT 0 COMMENT 'units sold (informational counter)',
  tax_id BIGINT NULL COMMENT 'NULL = untaxed',
  requires_shipping TINYINT(1) NOT NULL DEFAULT 0,
  image_ref VARCHAR(255) NULL COMMENT 'file reference (path under the shop file store or mdl_files pathnamehash)',
  thumb_ref VARCHAR(255) NULL,
  leaflet_ref VARCHAR(255) NULL COMMENT 'PDF leaflet',
  unit_image_ref VARCHAR(255) NULL COMMENT 'sales unit picture',
  tenunits_image_ref VARCHAR(255) NULL COMMENT 'ten units picture',
  seo_alias VARCHAR(64) NULL,
  seo_title VARCHAR(255) NULL,
  seo_keywords VARCHAR(255) NULL,
  seo_description TEXT NULL,
  sortorder INT NOT NULL DEFAULT 0,
  version INT NOT NULL DEFAULT 0 COMMENT 'optimistic locking',
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY product_code_uix (catalogue_id, code),
  UNIQUE KEY product_alias_uix (catalogue_id, seo_alias),
  KEY product_category_ix (category_id, sortorder),
  KEY product_status_ix (catalogue_id, status),
  KEY product_action_ix (action),
  KEY product_tax_ix (tax_id),
  KEY product_owner_ix (owner_userid),
  CONSTRAINT {shop}product_catalogue_fk FOREIGN KEY (catalogue_id) REFERENCES {shop}catalogue (id) ON DELETE CASCADE,
  CONSTRAINT {shop}product_category_fk FOREIGN KEY (category_id) REFERENCES {shop}category (id) ON DELETE SET NULL,
  CONSTRAINT {shop}product_tax_fk FOREIGN KEY (tax_id) REFERENCES {shop}tax (id),
  CONSTRAINT product_code_ck CHECK (code REGEXP '^[A-Za-z0-9_-]+$'),
  CONSTRAINT product_status_ck CHECK (status IN ('PREVIEW', 'AVAILABLE', 'AVAILABLEINTERNAL', 'ASCOMPLEMENT', 'SUSPENDED', 'PROVIDING', 'ABANDONNED')),
  CONSTRAINT product_kind_ck CHECK (kind IN ('product', 'set', 'bundle')),
  CONSTRAINT product_audience_ck CHECK (audience BETWEEN -1 AND 2),
  CONSTRAINT product_seat_ck CHECK (seat_mode IN ('none', 'one', 'per_unit')),
  CONSTRAINT product_qty_ck CHECK (max_quantity >= 0),
  CONSTRAINT product_stock_ck CHECK ((stock IS NULL OR stock >= 0) AND reserved >= 0 AND sold >= 0),
  CONSTRAINT product_alias_ck CHECK (seo_alias IS NULL OR seo_alias REGEXP '^[a-z0-9][a-z0-9_-]*$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='products, sets and bundles (local_shop_catalogitem)';

CREATE TABLE IF NOT EXISTS {shop}product_price (
  id BIGINT NOT NULL AUTO_INCREMENT,
  product_id BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  tier TINYINT NOT NULL COMMENT '1..5 in increasing quantity order',
  up_to INT NULL COMMENT 'inclusive upper quantity bound, NULL = this and any larger quantity (last tier)',
  price_minor BIGINT NOT NULL COMMENT 'untaxed unit price applied to ALL units when the ordered quantity falls in this tier',
  PRIMARY KEY (id),
  UNIQUE KEY product_price_tier_uix (product_id, currency, tier),
  CONSTRAINT {shop}product_price_product_fk FOREIGN KEY (product_id) REFERENCES {shop}product (id) ON DELETE CASCADE,
  CONSTRAINT product_price_ck CHECK (tier BETWEEN 1 AND 5 AND (up_to IS NULL OR up_to > 0) AND price_minor >= 0 AND currency REGEXP '^[A-Z]{3}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='quantity price tiers of a product (local_shop range1..5/price1..5)';

CREATE TABLE IF NOT EXISTS {shop}product_element (
  container_id BIGINT NOT NULL COMMENT 'product of kind set or bundle',
  element_id BIGINT NOT NULL,
  sortorder INT NOT NULL DEFAULT 0,
  show_name TINYINT(1) NOT NULL DEFAULT 1 COMMENT 'element name shown inside the set',
  show_description TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (container_id, element_id),
  UNIQUE KEY product_element_elem_uix (element_id) COMMENT 'an element belongs to one container (local_shop setid)',
  CONSTRAINT {shop}product_element_container_fk FOREIGN KEY (container_id) REFERENCES {shop}product (id) ON DELETE CASCADE,
  CONSTRAINT {shop}product_element_element_fk FOREIGN KEY (element_id) REFERENCES {shop}product (id) ON DELETE CASCADE,
  CONSTRAINT product_element_self_ck CHECK (container_id <> element_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='elements of sets and bundles';

CREATE TABLE IF NOT EXISTS {shop}product_override (
  id BIGINT NOT NULL AUTO_INCREMENT,
  catalogue_id BIGINT NOT NULL COMMENT 'the slave catalogue',
  product_code VARCHAR(32) NOT NULL COMMENT 'code of the master product overridden',
  name VARCHAR(255) NULL COMMENT 'NULL = master value, for every nullable column here',
  description LONGTEXT NULL,
  short_description TEXT NULL,
  notes LONGTEXT NULL,
  terms LONGTEXT NULL,
  tax_id BIGINT NULL,
  override_tax TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 = tax_id replaces the master tax (tax_id NULL then means untaxed)',
  override_prices TINYINT(1) NOT NULL DEFAULT 0 COMMENT '1 = product_override_price rows replace all master tiers',
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY product_override_code_uix (catalogue_id, product_code),
  KEY product_override_tax_ix (tax_id),
  CONSTRAINT {shop}product_override_catalogue_fk FOREIGN KEY (catalogue_id) REFERENCES {shop}catalogue (id) ON DELETE CASCADE,
  CONSTRAINT {shop}product_override_tax_fk FOREIGN KEY (tax_id) REFERENCES {shop}tax (id),
  CONSTRAINT product_override_code_ck CHECK (product_code REGEXP '^[A-Za-z0-9_-]+$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='slave catalogue overrides of master products, by code';

CREATE TABLE IF NOT EXISTS {shop}product_override_price (
  id BIGINT NOT NULL AUTO_INCREMENT,
  override_id BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  tier TINYINT NOT NULL,
  up_to INT NULL COMMENT 'NULL = last tier',
  price_minor BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY product_override_price_tier_uix (override_id, currency, tier),
  CONSTRAINT {shop}product_override_price_fk FOREIGN KEY (override_id) REFERENCES {shop}product_override (id) ON DELETE CASCADE,
  CONSTRAINT product_override_price_ck CHECK (tier BETWEEN 1 AND 5 AND (up_to IS NULL OR up_to > 0) AND price_minor >= 0 AND currency REGEXP '^[A-Z]{3}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='price tiers of a slave override';

CREATE TABLE IF NOT EXISTS {shop}shipzone (
  id BIGINT NOT NULL AUTO_INCREMENT,
  catalogue_id BIGINT NOT NULL,
  code VARCHAR(4) NOT NULL COMMENT '00 = default zone used when no other zone matches',
  description VARCHAR(255) NOT NULL DEFAULT '',
  bill_scope_minor BIGINT NOT NULL DEFAULT 0 COMMENT 'if not 0: flat untaxed shipping for the whole bill in this zone',
  currency CHAR(3) NOT NULL,
  tax_id BIGINT NULL COMMENT 'tax applied to shipping',
  applicability TEXT NOT NULL COMMENT 'zone rule, e.g. ([fr,be][*]) | ([*][^75])',
  sortorder INT NOT NULL DEFAULT 0 COMMENT 'first matching zone wins',
  created_at BIGINT NOT NULL DEFAULT 0,
  modified_at BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY shipzone_code_uix (catalogue_id, code),
  KEY shipzone_tax_ix (tax_id),
  CONSTRAINT {shop}shipzone_catalogue_fk FOREIGN KEY (catalogue_id) REFERENCES {shop}catalogue (id) ON DELETE CASCADE,
  CONSTRAINT {shop}shipzone_tax_fk FOREIGN KEY (tax_id) REFERENCES {shop}tax (id),
  CONSTRAINT shipzone_ck CHECK (bill_scope_minor >= 0 AND currency REGEXP '^[A-Z]{3}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='shipping zones (local_shop_catalogshipzone)';

CREATE TABLE IF NOT EXISTS {shop}shipping (
  id BIGINT NOT NULL AUTO_INCREMENT,
  zone_id BIGINT NOT NULL,
  product_code VARCHAR(32) NOT NULL,
  value_minor BIGINT NOT NULL DEFAULT 0 COMMENT 'fixed untaxed shipping, used when > 0',
  currency CHAR(3) NOT NULL,
  formula VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'used when value_minor = 0: assignment of $shp from $a $b $c $ht $ttc $q',
  a DECIMAL(14,4) NOT NULL DEFAULT 0,
  b DECIMAL(14,4) NOT NULL DEFAULT 0,
  c DECIMAL(14,4) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY shipping_zone_product_uix (zone_id, product_code),
  KEY shipping_product_ix (product_code),
  CONSTRAINT {shop}shipping_zone_fk FOREIGN KEY (zone_id) REFERENCES {shop}shipzone (id) ON DELETE CASCADE,
  CONSTRAINT shipping_ck CHECK (value_minor >= 0 AND currency REGEXP '^[A-Z]{3}$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci COMMENT='per-product shipping rules in a zone (local_shop_catalogshipping)';

INSERT IGNORE INTO {shop}schema_version (version, name, applied_at) VALUES (1, '001_catalogue', UNIX_TIMESTAMP());

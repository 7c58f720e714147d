-- Demo discount rules and offer codes. Loaded by `shopctl seed demo` after demo/catalogue.sql.
-- Idempotent: fixed ids + INSERT IGNORE. Ratios are percentages. rule_data / apply_codes are JSON
-- (see src/core/discount_rules.h). The threshold rule (goods taxed total above 2000.00 EUR) does not
-- trigger on the carts of tests/integration/test_cart.py whose totals are asserted.
-- No per-cent sign and no semicolon inside any text (see demo/catalogue.sql).

SET NAMES utf8mb4;

-- Shop 1 (EUR, French):
--   1 BIENVENUE10: 10 off the whole bill, accumulates
--   2 PARTNER15 / VIP20: 15 or 20 off two online courses only (EXCEL101, PM200)
--   3 above 2000.00 EUR of goods (taxed): 5 off the bill, accumulates
--   4 a disabled rule: its code ANCIEN50 is refused as unknown
-- Shop 2 (EUR, English): 5 WELCOME10, 10 off the bill.
INSERT IGNORE INTO {shop}discount (id, shop_id, name, type, prompt, rule_data, ratio, amount_minor, currency, apply_on, apply_codes, operator, partner_id, enabled, valid_from, valid_until, ordering, created_at, modified_at) VALUES
(1, 1, 'Bienvenue', 'OfferCode', 'Votre code de bienvenue', NULL, 10.0000, NULL, NULL, 'bill', NULL, 'accumulate', NULL, 1, NULL, NULL, 10, 1735689600, 1735689600),
(2, 1, 'Remise partenaires formations en ligne', 'MultipleOfferCode', 'Code partenaire', NULL, NULL, NULL, NULL, 'itemlist', '["EXCEL101", "PM200"]', 'accumulate', NULL, 1, NULL, NULL, 20, 1735689600, 1735689600),
(3, 1, 'Remise grosse commande', 'OrderAmountThreshold', NULL, '{"threshold_minor": 200000}', 5.0000, NULL, NULL, 'bill', NULL, 'accumulate', NULL, 1, NULL, NULL, 30, 1735689600, 1735689600),
(4, 1, 'Ancienne promotion', 'OfferCode', NULL, NULL, 50.0000, NULL, NULL, 'bill', NULL, 'accumulate', NULL, 0, NULL, NULL, 40, 1735689600, 1735689600),
(5, 2, 'Welcome offer', 'OfferCode', 'Your welcome code', NULL, 10.0000, NULL, NULL, 'bill', NULL, 'accumulate', NULL, 1, NULL, NULL, 10, 1735689600, 1735689600);

INSERT IGNORE INTO {shop}discount_code (id, discount_id, code, ratio, partner_id, max_uses, uses) VALUES
(1, 1, 'BIENVENUE10', NULL, NULL, NULL, 0),
(2, 2, 'PARTNER15', 15.0000, NULL, NULL, 0),
(3, 2, 'VIP20', 20.0000, NULL, NULL, 0),
(4, 4, 'ANCIEN50', NULL, NULL, NULL, 0),
(5, 5, 'WELCOME10', NULL, NULL, NULL, 0);

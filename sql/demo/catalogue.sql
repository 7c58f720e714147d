-- Demo catalogue of the mod_shop demo/test stack. Loaded by `shopctl seed demo` AFTER
-- demo/shop_settings.sql (taxes 1 and 2, shop 1, catalogue 1) and demo/moodle_demo.sql (courses
-- 2 EXCEL101, 3 PM200, 4 FR-BIZ, 5 SAFE1, 6 WORD2010 hidden, quiz 1, category 2).
-- Content: catalogue 1 becomes the French MASTER, catalogue 2 is its English SLAVE sold by shop 2.
-- Idempotent: fixed ids + INSERT IGNORE, one UPDATE guarded so it only changes the pristine
-- catalogue 1 of shop_settings.sql. Times are fixed: 1735689600 = 2025-01-01 00:00 UTC.
-- Money in EUR minor units (cents). action_params: JSON object, every value a string (local_shop
-- handlerparams k=v). required_data: JSON array of {field, label, type, required, desc, options, attrs}.
-- Shipping formulas work in major units (euros): a, b, c and the result $shp, see sql/README.md.
-- No per-cent sign and no semicolon inside any text: the loader splits on a trailing semicolon and
-- apr_dbd reads the per-cent sign as a format character.

SET NAMES utf8mb4;

-- Taxes 1 (TVA taux normal 20) and 2 (exempt training) come from shop_settings.sql. Book rate:
INSERT IGNORE INTO {shop}tax (id, title, country, rate, formula, created_at, modified_at) VALUES
(3, 'TVA taux réduit 5,5 (livres)', 'FR', 5.5000, '$ttc = $ht * (1 + $tr / 100)', 1735689600, 1735689600);

-- Catalogue 1 becomes the master (only while it is still the untouched standalone catalogue).
UPDATE {shop}catalogue SET kind = 'master', cache_version = 1, modified_at = 1735689600 WHERE id = 1 AND kind = 'standalone' AND master_id IS NULL AND cache_version = 0;

-- Catalogue 2: English slave of catalogue 1 (overrides below, by product code).
INSERT IGNORE INTO {shop}catalogue (id, name, description, kind, master_id, country_restrictions, bill_footer, cache_version, created_at, modified_at) VALUES
(2, 'English catalogue', '<p>Our professional training courses, in English.</p>', 'slave', 1, '', '<p>Formations Démo SAS, 12 rue des Exemples, 75011 Paris, France. SIRET 912 345 675 00017. VAT FR65912345675.</p>', 1, 1735689600, 1735689600);

-- Shop 2: English front selling catalogue 2 (stacked categories, no organisation required).
INSERT IGNORE INTO {shop}shop (id, name, description, catalogue_id, currency, customer_organisation_required, enduser_organisation_required, enduser_mobilephone_required, print_tabbed_categories, support_courseid, force_download_leaflet, allow_tax, terms, paymodes, default_paymode, navsteps, enabled, sortorder, created_at, modified_at) VALUES
(2, 'Training shop', '<p>Enrol in our online courses and tutored sessions.</p>', 2, 'EUR', 0, 0, 0, 0, 0, 1, 1, '<p>General terms of sale: see our website. Online courses start as soon as the payment is received.</p>', '{"transfer": true, "freeorder": true, "test": true}', 'transfer', '', 1, 1, 1735689600, 1735689600);

-- Categories of the master. 1-3 visible top level, 6 a visible child of 1, 4 hidden (holds
-- WORD2010, which must not be listed), 5 visible but empty (never selected as the first category).
INSERT IGNORE INTO {shop}category (id, catalogue_id, parent_id, name, description, seo_alias, seo_title, seo_keywords, seo_description, sortorder, visible, created_at, modified_at) VALUES
(1, 1, NULL, 'Formations en ligne', '<p>Nos cours en ligne, accessibles à votre rythme.</p>', 'formations-en-ligne', 'Formations en ligne', 'formation,en ligne,e-learning', 'Cours en ligne : bureautique, gestion de projet, sécurité.', 1, 1, 1735689600, 1735689600),
(2, 1, NULL, 'Sessions tutorées', '<p>Sessions de groupe et accompagnement individuel avec un formateur.</p>', 'sessions', 'Sessions tutorées', 'session,tutorat,groupe', NULL, 2, 1, 1735689600, 1735689600),
(3, 1, NULL, 'Livres et goodies', '<p>Livres, mugs et autres souvenirs de formation.</p>', 'boutique', NULL, NULL, NULL, 3, 1, 1735689600, 1735689600),
(4, 1, NULL, 'Archives', '<p>Anciennes formations (catégorie masquée).</p>', 'archives', NULL, NULL, NULL, 4, 0, 1735689600, 1735689600),
(5, 1, NULL, 'Nouveautés', '<p>Bientôt de nouvelles formations.</p>', 'nouveautes', NULL, NULL, NULL, 5, 1, 1735689600, 1735689600),
(6, 1, 1, 'Bureautique', '<p>Tableur, traitement de texte.</p>', 'bureautique', NULL, NULL, NULL, 1, 1, 1735689600, 1735689600);

-- Products, sets and bundles of the master. Elements (16-18 of set 15, 20-22 of bundle 19) are
-- listed only inside their container.
INSERT IGNORE INTO {shop}product (id, catalogue_id, category_id, owner_userid, code, idnumber, name, description, short_description, notes, terms, status, kind, audience, max_quantity, passcode_hash, seat_mode, renewable, required_data, action, action_params, production_data, stock, reserved, sold, tax_id, requires_shipping, seo_alias, seo_title, seo_keywords, seo_description, sortorder, version, created_at, modified_at) VALUES
(1, 1, 6, 0, 'EXCEL101', 'EXCEL101', 'Excel : les fondamentaux (en ligne)', '<p>Du premier classeur aux tableaux croisés dynamiques : formules, mises en forme, graphiques.</p><p>Accès au cours en ligne pendant un an, quiz d''entraînement inclus.</p>', 'Le tableur de A à Z, en ligne, accès un an.', NULL, NULL, 'AVAILABLE', 'product', 0, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "EXCEL101", "role": "student", "enrol": "manual", "duration": "365"}', NULL, NULL, 0, 0, 2, 0, 'excel-les-fondamentaux', 'Excel : les fondamentaux', 'excel,tableur', NULL, 1, 0, 1735689600, 1735689600),
(2, 1, 6, 0, 'EXCEL101-EXT', '', 'Prolongation Excel : 90 jours', '<p>Prolonge de 90 jours votre accès au cours Excel : les fondamentaux, même s''il a expiré.</p>', 'Prolongez votre accès au cours Excel.', NULL, NULL, 'AVAILABLE', 'product', 1, 1, NULL, 'none', 0, '[{"field": "productcode", "label": "Référence du produit à prolonger", "type": "text", "required": true, "desc": "La référence figure dans votre espace client (format XXXX-XXXX-XXXX-XXXX).", "attrs": {"size": "20", "maxlength": "19"}}]', 'std_extendenrolperiod', '{"coursename": "EXCEL101", "enroltype": "manual", "extension": "90"}', NULL, NULL, 0, 0, 2, 0, 'prolongation-excel', NULL, NULL, NULL, 2, 0, 1735689600, 1735689600),
(3, 1, 6, 0, 'EXCEL101-QUIZ', '', 'Tentatives supplémentaires au quiz Excel', '<p>Une tentative supplémentaire par unité au quiz final du cours Excel, pour les clients déjà inscrits.</p>', 'Une tentative de plus au quiz final.', NULL, NULL, 'AVAILABLE', 'product', 2, 5, NULL, 'none', 0, NULL, 'std_addquizattempts', '{"quizid": "1", "attemptsamount": "1"}', NULL, NULL, 0, 0, 1, 0, NULL, NULL, NULL, NULL, 3, 0, 1735689600, 1735689600),
(4, 1, 1, 0, 'PM200', 'PM200', 'Gestion de projet (en ligne)', '<p>Planifier, piloter et clôturer un projet : cadrage, planning, budget, risques.</p>', 'Les bases de la gestion de projet, en ligne, accès six mois.', NULL, '<p>Accès de 180 jours à compter de l''inscription. Réservé aux utilisateurs connectés.</p>', 'AVAILABLE', 'product', 1, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "PM200", "role": "student", "enrol": "manual", "duration": "180"}', NULL, NULL, 0, 0, 2, 0, 'gestion-de-projet', NULL, NULL, NULL, 2, 0, 1735689600, 1735689600),
(5, 1, 1, 0, 'SAFE1', 'SAFE1', 'Sécurité au travail : l''essentiel', '<p>Prévention des risques professionnels, gestes et postures, conduite à tenir en cas d''accident.</p>', 'Les fondamentaux de la santé et de la sécurité au travail.', 'Statut PROVIDING : produit listé et vendu, en cours de réapprovisionnement des accès.', NULL, 'PROVIDING', 'product', 0, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "SAFE1", "role": "student", "enrol": "manual", "duration": "365"}', NULL, NULL, 0, 0, 2, 0, 'securite-au-travail', NULL, NULL, NULL, 3, 0, 1735689600, 1735689600),
(6, 1, 1, 0, 'SAFE1-DECOUVERTE', '', 'Découverte gratuite : Sécurité au travail (30 jours)', '<p>Essayez gratuitement le cours Sécurité au travail pendant 30 jours. Un compte est créé pour vous à la commande.</p>', 'Essai gratuit de 30 jours, réservé aux nouveaux visiteurs.', NULL, '<p>Offre réservée aux visiteurs non connectés, une seule fois par personne.</p>', 'AVAILABLE', 'product', -1, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "SAFE1", "role": "student", "enrol": "manual", "duration": "30"}', NULL, NULL, 0, 0, 2, 0, 'decouverte-securite', NULL, NULL, NULL, 4, 0, 1735689600, 1735689600),
(7, 1, 6, 0, 'EXCEL-AVANCE', '', 'Excel avancé : macros et Power Query', '<p>Automatisez vos classeurs. Cours en préparation.</p>', 'Bientôt disponible.', 'Statut PREVIEW : pas encore en vente, aucune action tant que le cours n''existe pas.', NULL, 'PREVIEW', 'product', 0, 0, NULL, 'none', 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 4, 0, 1735689600, 1735689600),
(8, 1, 2, 0, 'PM200-SESSION', '', 'Gestion de projet : session tutorée', '<p>Session de groupe de trois mois avec un formateur : classes virtuelles hebdomadaires, étude de cas, correction individuelle.</p><p>Tarif dégressif selon le nombre de participants inscrits dans la même commande.</p>', 'Session de groupe de trois mois, tarif dégressif.', NULL, '<p>Inscription ferme à réception du paiement. Annulation sans frais jusqu''à 14 jours avant le début de la session.</p>', 'AVAILABLE', 'product', 0, 30, NULL, 'per_unit', 0, '[{"field": "jobtitle", "label": "Fonction du participant", "type": "text", "required": true, "attrs": {"size": "40"}}, {"field": "funding", "label": "Financement", "type": "select", "required": true, "options": {"company": "Entreprise", "opco": "OPCO", "personal": "Personnel"}}, {"field": "accessibility", "label": "Besoins d''adaptation (situation de handicap)", "type": "textarea", "required": false, "desc": "Notre référent handicap vous recontacte si besoin."}, {"field": "certificate", "label": "Attestation de fin de formation sur papier", "type": "checkbox", "required": false}]', 'std_setuponecoursesession', '{"coursename": "PM200", "supervisor": "teacher", "autoenrolsupervisor": "1", "requiredroles": "student", "duration": "90"}', NULL, NULL, 0, 0, 2, 0, 'session-gestion-de-projet', NULL, NULL, NULL, 1, 0, 1735689600, 1735689600),
(9, 1, 2, 0, 'FRBIZ-COACHING', '', 'Français des affaires : coaching individuel', '<p>Séances individuelles avec un formateur, vendues à l''heure, sur le cours Français des affaires. Un seul participant, quel que soit le nombre d''heures.</p>', 'Coaching individuel à l''heure, tarif dégressif.', NULL, NULL, 'AVAILABLE', 'product', 0, 20, NULL, 'one', 0, NULL, 'std_setuponecoursesession', '{"coursename": "FR-BIZ", "supervisor": "teacher", "requiredroles": "student,teacher", "duration": "120"}', NULL, NULL, 0, 0, 2, 0, 'coaching-francais-affaires', NULL, NULL, NULL, 2, 0, 1735689600, 1735689600),
(10, 1, 2, 0, 'PM200-INTRA', '', 'Gestion de projet : session intra-entreprise', '<p>Session réservée aux salariés d''une même entreprise. Le code d''accès vous est communiqué par votre conseiller.</p>', 'Session privée, code d''accès requis.', 'Code de démonstration : DEMO2026 (passcode_hash = SHA-512 crypt).', '<p>Tarif négocié, non cumulable avec d''autres remises.</p>', 'AVAILABLE', 'product', 0, 15, '$6$shopdemo2026$Y2ZMIVQqGQkw6Gxso.hsdlJ8AQKIsP1IlTGSQ6DA2rttm4eLyAiXB7r.8q22r3zWyQbuffSkYMm5i51/dIvDs1', 'per_unit', 0, NULL, 'std_setuponecoursesession', '{"coursename": "PM200", "supervisor": "teacher", "autoenrolsupervisor": "1", "requiredroles": "student", "duration": "90"}', NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 3, 0, 1735689600, 1735689600),
(11, 1, 2, 0, 'SAFE1-PRESENTIEL', '', 'Sécurité au travail : session présentielle', '<p>Journée en salle à Paris.</p>', 'Session en salle, suspendue.', 'Statut SUSPENDED : plus de salle disponible.', NULL, 'SUSPENDED', 'product', 0, 12, NULL, 'per_unit', 0, NULL, 'std_setuponecoursesession', '{"coursename": "SAFE1", "supervisor": "teacher", "requiredroles": "student", "duration": "30"}', NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 4, 0, 1735689600, 1735689600),
(12, 1, 4, 0, 'WORD2010', 'WORD2010', 'Word 2010 (ancienne version)', '<p>Ancien cours Word 2010.</p>', 'Cours archivé.', 'Produit AVAILABLE mais dans une catégorie masquée : ne doit pas être listé.', NULL, 'AVAILABLE', 'product', 0, 1, NULL, 'none', 0, NULL, 'std_enrolonecourse', '{"coursename": "WORD2010", "role": "student", "enrol": "manual"}', NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 1, 0, 1735689600, 1735689600),
(13, 1, 1, 0, 'ESPACE-FORMATEUR', '', 'Espace formateur : création de cours', '<p>Donne le rôle de créateur de cours dans la catégorie Professional training de la plateforme, pour y publier vos propres cours.</p>', 'Publiez vos cours sur notre plateforme.', NULL, '<p>Les contenus publiés restent sous la responsabilité du formateur.</p>', 'AVAILABLE', 'product', 1, 1, NULL, 'none', 0, NULL, 'std_assignroleoncontext', '{"contextlevel": "40", "instance": "2", "role": "coursecreator"}', NULL, NULL, 0, 0, 1, 0, 'espace-formateur', NULL, NULL, NULL, 5, 0, 1735689600, 1735689600),
(14, 1, 3, 0, 'LIVRE-EXCEL', 'ISBN-979-10-00000-00-0', 'Excel pour les pros (livre papier)', '<p>Le livre compagnon du cours Excel : 320 pages, exercices corrigés.</p>', 'Le livre du cours, 320 pages.', 'Stock physique : 10 exemplaires.', NULL, 'AVAILABLE', 'product', 0, 0, NULL, 'none', 0, NULL, NULL, NULL, NULL, 10, 0, 0, 3, 1, 'livre-excel', NULL, NULL, NULL, 1, 0, 1735689600, 1735689600),
(15, 1, 3, 0, 'GOODIES', '', 'Goodies de la formation', '<p>Mug, t-shirt et carnet aux couleurs de Formations Démo. Chaque article s''achète séparément.</p>', 'Mug, t-shirt, carnet.', NULL, NULL, 'AVAILABLE', 'set', 0, 0, NULL, 'none', 0, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 'goodies', NULL, NULL, NULL, 2, 0, 1735689600, 1735689600),
(16, 1, 3, 0, 'MUG-LOGO', '', 'Mug Formations Démo', '<p>Mug en céramique, 33 cl.</p>', 'Mug en céramique.', NULL, NULL, 'AVAILABLE', 'product', 0, 0, NULL, 'none', 0, NULL, NULL, NULL, NULL, 50, 0, 0, 1, 1, NULL, NULL, NULL, NULL, 1, 0, 1735689600, 1735689600),
(17, 1, 3, 0, 'TSHIRT-LOGO', '', 'T-shirt Formations Démo', '<p>T-shirt en coton bio, taille unique.</p>', 'T-shirt coton bio.', NULL, NULL, 'AVAILABLE', 'product', 0, 0, NULL, 'none', 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 1, 1, NULL, NULL, NULL, NULL, 2, 0, 1735689600, 1735689600),
(18, 1, 3, 0, 'CARNET-NOTES', '', 'Carnet de notes', '<p>Carnet A5 ligné, 96 pages.</p>', 'Carnet A5, épuisé.', 'Stock 0 : épuisé (test du produit en rupture).', NULL, 'AVAILABLE', 'product', 0, 0, NULL, 'none', 0, NULL, NULL, NULL, NULL, 0, 0, 0, 1, 1, NULL, NULL, NULL, NULL, 3, 0, 1735689600, 1735689600),
(19, 1, 1, 0, 'PACK-MANAGER', '', 'Parcours manager : 3 cours en ligne', '<p>Gestion de projet, Français des affaires et Sécurité au travail : les trois cours en ligne, un an d''accès, à prix réduit.</p>', 'Trois cours en ligne pour le prix de deux.', NULL, NULL, 'AVAILABLE', 'bundle', 0, 1, NULL, 'none', 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 2, 0, 'parcours-manager', NULL, NULL, NULL, 6, 0, 1735689600, 1735689600),
(20, 1, 1, 0, 'PACK-MANAGER-PM200', '', 'Gestion de projet (parcours manager)', '<p>Cours en ligne Gestion de projet, un an.</p>', NULL, NULL, NULL, 'AVAILABLE', 'product', 0, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "PM200", "role": "student", "enrol": "manual", "duration": "365"}', NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 1, 0, 1735689600, 1735689600),
(21, 1, 1, 0, 'PACK-MANAGER-FRBIZ', '', 'Français des affaires (parcours manager)', '<p>Cours en ligne Français des affaires, un an.</p>', NULL, NULL, NULL, 'AVAILABLE', 'product', 0, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "FR-BIZ", "role": "student", "enrol": "manual", "duration": "365"}', NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 2, 0, 1735689600, 1735689600),
(22, 1, 1, 0, 'PACK-MANAGER-SAFE1', '', 'Sécurité au travail (parcours manager)', '<p>Cours en ligne Sécurité au travail, un an.</p>', NULL, NULL, NULL, 'AVAILABLE', 'product', 0, 1, NULL, 'none', 1, NULL, 'std_enrolonecourse', '{"coursename": "SAFE1", "role": "student", "enrol": "manual", "duration": "365"}', NULL, NULL, 0, 0, 2, 0, NULL, NULL, NULL, NULL, 3, 0, 1735689600, 1735689600);

-- Price tiers, EUR cents, id = product id * 10 + tier. up_to NULL = this tier and above.
-- The set GOODIES (15) has no price: its elements carry their own.
INSERT IGNORE INTO {shop}product_price (id, product_id, currency, tier, up_to, price_minor) VALUES
(11, 1, 'EUR', 1, NULL, 19900),
(21, 2, 'EUR', 1, NULL, 4900),
(31, 3, 'EUR', 1, NULL, 1500),
(41, 4, 'EUR', 1, NULL, 34900),
(51, 5, 'EUR', 1, NULL, 9900),
(61, 6, 'EUR', 1, NULL, 0),
(71, 7, 'EUR', 1, NULL, 29900),
(81, 8, 'EUR', 1, 4, 49000),
(82, 8, 'EUR', 2, 9, 44000),
(83, 8, 'EUR', 3, 19, 39000),
(84, 8, 'EUR', 4, NULL, 34000),
(91, 9, 'EUR', 1, 5, 9000),
(92, 9, 'EUR', 2, 10, 8000),
(93, 9, 'EUR', 3, NULL, 7000),
(101, 10, 'EUR', 1, NULL, 39000),
(111, 11, 'EUR', 1, NULL, 59000),
(121, 12, 'EUR', 1, NULL, 4900),
(131, 13, 'EUR', 1, NULL, 15000),
(141, 14, 'EUR', 1, NULL, 2900),
(161, 16, 'EUR', 1, NULL, 1200),
(171, 17, 'EUR', 1, NULL, 1900),
(181, 18, 'EUR', 1, NULL, 600),
(191, 19, 'EUR', 1, NULL, 59900),
(201, 20, 'EUR', 1, NULL, 34900),
(211, 21, 'EUR', 1, NULL, 29900),
(221, 22, 'EUR', 1, NULL, 9900);

-- Set GOODIES (15) = mug, t-shirt, notebook, each bought on its own. Bundle PACK-MANAGER (19) =
-- three course enrolments sold as one line at 599.00 (elements priced 349 + 299 + 99 = 747.00).
INSERT IGNORE INTO {shop}product_element (container_id, element_id, sortorder, show_name, show_description) VALUES
(15, 16, 1, 1, 1),
(15, 17, 2, 1, 1),
(15, 18, 3, 1, 0),
(19, 20, 1, 1, 0),
(19, 21, 2, 1, 0),
(19, 22, 3, 1, 0);

-- Shipping zones of the master, first match by sortorder, 00 = fallback. Zip lists are comma
-- lists of regular expressions without brackets, parentheses or pipes (see sql/README.md).
-- FR: departments 01-19 and 21-95 (Corsica 20xxx and overseas 97xxx/98xxx excluded).
-- COR: Corsica and overseas, flat 15.00 per bill. EU: the 26 other member states, per product.
-- 00: rest of the world, flat 25.00 per bill. Shipping is taxed with tax 1 (20).
INSERT IGNORE INTO {shop}shipzone (id, catalogue_id, code, description, bill_scope_minor, currency, tax_id, applicability, sortorder, created_at, modified_at) VALUES
(1, 1, 'FR', 'France métropolitaine (hors Corse)', 0, 'EUR', 1, '([fr][^0,^1,^21,^22,^23,^24,^25,^26,^27,^28,^29,^3,^4,^5,^6,^7]) | ([fr][^8,^90,^91,^92,^93,^94,^95])', 1, 1735689600, 1735689600),
(2, 1, 'COR', 'Corse et outre-mer', 1500, 'EUR', 1, '([fr][^20,^97,^98]) | ([gp,mq,gf,re,yt,pm,bl,mf,wf,pf,nc][*])', 2, 1735689600, 1735689600),
(3, 1, 'EU', 'Union européenne (hors France)', 0, 'EUR', 1, '([at,be,bg,cy,cz,de,dk,ee,es,fi,gr,hr,hu,ie,it,lt,lu,lv,mt,nl,pl,pt,ro,se,si,sk][*])', 3, 1735689600, 1735689600),
(4, 1, '00', 'Reste du monde', 2500, 'EUR', 1, '([*][*])', 99, 1735689600, 1735689600);

-- Per-product rules (zones FR and EU only: a bill-scope zone ignores them). value_minor > 0 wins,
-- else the formula, in euros: EU book = 6.90 + 2.00 per copy, EU mug = 7.50 + 1.50 per mug capped at 15.00.
INSERT IGNORE INTO {shop}shipping (id, zone_id, product_code, value_minor, currency, formula, a, b, c) VALUES
(1, 1, 'LIVRE-EXCEL', 490, 'EUR', '', 0, 0, 0),
(2, 1, 'MUG-LOGO', 590, 'EUR', '', 0, 0, 0),
(3, 1, 'TSHIRT-LOGO', 390, 'EUR', '', 0, 0, 0),
(4, 1, 'CARNET-NOTES', 290, 'EUR', '', 0, 0, 0),
(5, 3, 'LIVRE-EXCEL', 0, 'EUR', '$shp = $a + $b * $q', 6.9000, 2.0000, 0),
(6, 3, 'MUG-LOGO', 0, 'EUR', '$shp = min($a + $b * $q, $c)', 7.5000, 1.5000, 15.0000);

-- English overrides of the slave catalogue 2, by master product code. NULL = master value.
-- 3 PM200-SESSION replaces all its tiers, 6 ESPACE-FORMATEUR is untaxed (B2B reverse charge:
-- override_tax = 1 with tax_id NULL), 7 EXCEL101-QUIZ switches to the exempt tax 2.
INSERT IGNORE INTO {shop}product_override (id, catalogue_id, product_code, name, description, short_description, notes, terms, tax_id, override_tax, override_prices, created_at, modified_at) VALUES
(1, 2, 'EXCEL101', 'Excel essentials (online course)', '<p>From the first workbook to pivot tables: formulas, formatting, charts.</p><p>One year of access to the online course, practice quiz included.</p>', 'Spreadsheets from A to Z, online, one year of access.', NULL, NULL, NULL, 0, 0, 1735689600, 1735689600),
(2, 2, 'PM200', 'Project management (online course)', '<p>Plan, run and close a project: scoping, schedule, budget, risks.</p>', 'Project management basics, online, six months of access.', NULL, '<p>Access for 180 days from enrolment. Logged-in users only.</p>', NULL, 0, 0, 1735689600, 1735689600),
(3, 2, 'PM200-SESSION', 'Project management: tutored session', '<p>A three-month group session with a trainer: weekly virtual classes, case study, individual feedback.</p><p>Volume pricing by the number of participants in one order.</p>', 'Three-month group session, volume pricing.', NULL, '<p>Booking confirmed on payment. Free cancellation up to 14 days before the session starts.</p>', NULL, 0, 1, 1735689600, 1735689600),
(4, 2, 'SAFE1', 'Safety at work: the essentials', '<p>Occupational risk prevention, posture, what to do after an accident.</p>', 'Workplace health and safety fundamentals.', NULL, NULL, NULL, 0, 0, 1735689600, 1735689600),
(5, 2, 'LIVRE-EXCEL', 'Excel for professionals (paperback)', '<p>The companion book of the Excel course: 320 pages, worked exercises. In French.</p>', 'The course book, 320 pages.', NULL, NULL, NULL, 0, 0, 1735689600, 1735689600),
(6, 2, 'ESPACE-FORMATEUR', 'Trainer space: course creation', '<p>Gives you the course creator role in the Professional training category, to publish your own courses.</p>', 'Publish your courses on our platform.', 'Untaxed in the English catalogue: sold to foreign businesses under reverse charge.', '<p>Published content remains the trainer''s responsibility. VAT reverse charge applies.</p>', NULL, 1, 0, 1735689600, 1735689600),
(7, 2, 'EXCEL101-QUIZ', 'Extra attempts at the Excel quiz', '<p>One more attempt per unit at the final quiz of the Excel course, for enrolled customers.</p>', 'One more attempt at the final quiz.', NULL, NULL, 2, 1, 0, 1735689600, 1735689600),
(8, 2, 'PACK-MANAGER', 'Manager path: 3 online courses', '<p>Project management, French for business and Safety at work: the three online courses, one year of access, at a reduced price.</p>', 'Three online courses for the price of two.', NULL, NULL, NULL, 0, 0, 1735689600, 1735689600),
(9, 2, 'GOODIES', 'Training goodies', '<p>Mug, t-shirt and notebook in our colours. Each item is sold separately.</p>', 'Mug, t-shirt, notebook.', NULL, NULL, NULL, 0, 0, 1735689600, 1735689600),
(10, 2, 'MUG-LOGO', 'Formations Démo mug', '<p>Ceramic mug, 33 cl.</p>', 'Ceramic mug.', NULL, NULL, NULL, 0, 0, 1735689600, 1735689600);

-- Slave tiers of PM200-SESSION (3 tiers replace the master 4), id = override id * 10 + tier.
INSERT IGNORE INTO {shop}product_override_price (id, override_id, currency, tier, up_to, price_minor) VALUES
(31, 3, 'EUR', 1, 4, 52000),
(32, 3, 'EUR', 2, 9, 47000),
(33, 3, 'EUR', 3, NULL, 42000);

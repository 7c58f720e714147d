-- Default shop settings and the default shop for the demo/test stack (fictitious French training
-- organisation: every identifier below is invented, checksums are valid so validators accept them).
-- Idempotent: INSERT IGNORE with fixed ids / primary keys, existing values are never changed.
-- Setting names reuse local_shop's config keys where one exists (reference section 10).

SET NAMES utf8mb4;

INSERT IGNORE INTO {shop}setting (name, value, modified_at) VALUES
('sellername', 'Formations Démo SAS', 1735689600),
('sellerlegalform', 'SAS au capital de 10 000 €', 1735689600),
('selleraddress', '12 rue des Exemples', 1735689600),
('sellerzip', '75011', 1735689600),
('sellercity', 'Paris', 1735689600),
('sellercountry', 'FR', 1735689600),
('sellerbillingaddress', '12 rue des Exemples', 1735689600),
('sellerbillingzip', '75011', 1735689600),
('sellerbillingcity', 'Paris', 1735689600),
('sellerbillingcountry', 'FR', 1735689600),
('sellermail', 'ventes@formations-demo.example', 1735689600),
('sellermailsupport', 'support@formations-demo.example', 1735689600),
('sellerphonesupport', '+33 1 23 45 67 89', 1735689600),
('sellerID', '91234567500017', 1735689600),
('sellersiren', '912345675', 1735689600),
('sellersiret', '91234567500017', 1735689600),
('sellerrcs', 'RCS Paris 912 345 675', 1735689600),
('sellerape', '8559A', 1735689600),
('tvaeurope', 'FR65912345675', 1735689600),
('sellertrainingdeclaration', '11755555575', 1735689600),
('sellertrainingdeclarationtext', 'Déclaration d''activité enregistrée sous le numéro 11 75 55555 75 auprès du préfet de région d''Île-de-France. Cet enregistrement ne vaut pas agrément de l''État.', 1735689600),
('banking', 'Banque Démo, agence Paris Bastille', 1735689600),
('bankcode', '99999', 1735689600),
('bankoffice', '00001', 1735689600),
('bankaccount', '12345678901', 1735689600),
('bankaccountkey', '52', 1735689600),
('iban', 'FR7699999000011234567890152', 1735689600),
('bic', 'DEMOFRPPXXX', 1735689600),
('invoicepaymentterms', 'Paiement à réception de la facture.', 1735689600),
('invoicelatepenalties', 'En cas de retard de paiement : pénalités au taux de trois fois le taux d''intérêt légal et indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 du Code de commerce). Pas d''escompte pour paiement anticipé.', 1735689600),
('vatexemptionnote', 'Exonération de TVA, article 261-4-4° a du CGI.', 1735689600),
('invoicepaymentdays', '0', 1735689600),
('defaultnavsteps', 'shop,requirements,participants,customer,order,payment,produce,invoice', 1735689600),
('defaultcurrency', 'EUR', 1735689600),
('test', '0', 1735689600),
('testoverride', '0', 1735689600),
('presalenotification', '1', 1735689600),
('salesrole', 'sales', 1735689600),
('maxitemsperpage', '30', 1735689600),
('hideproductswhennotavailable', '0', 1735689600),
('shortdescriptionthreshold', '200', 1735689600),
('productimageheight', '150', 1735689600),
('productimagewidth', '150', 1735689600),
('productimagermargin', '40', 1735689600),
('elementimageheight', '80', 1735689600),
('elementimagewidth', '80', 1735689600),
('elementimagermargin', '25', 1735689600),
('useshipping', '0', 1735689600),
('useslavecatalogs', '0', 1735689600),
('userenewableproducts', '1', 1735689600),
('pdfenabled', '1', 1735689600),
('stockholdseconds', '86400', 1735689600),
('anonymousofflinepayments', '1', 1735689600);

INSERT IGNORE INTO {shop}tax (id, title, country, rate, formula, created_at, modified_at) VALUES
(1, 'TVA taux normal', 'FR', 20.0000, '$ttc = $ht * (1 + $tr / 100)', 1735689600, 1735689600),
(2, 'Exonéré (art. 261-4-4° a CGI)', 'FR', 0.0000, '', 1735689600, 1735689600);

INSERT IGNORE INTO {shop}catalogue (id, name, description, kind, master_id, country_restrictions, bill_footer, cache_version, created_at, modified_at) VALUES
(1, 'Catalogue principal', '<p>Nos formations professionnelles.</p>', 'standalone', NULL, '', '<p>Formations Démo SAS, 12 rue des Exemples, 75011 Paris. SIRET 912 345 675 00017. TVA FR65912345675.</p>', 0, 1735689600, 1735689600);

INSERT IGNORE INTO {shop}shop (id, name, description, catalogue_id, currency, customer_organisation_required, enduser_organisation_required, enduser_mobilephone_required, print_tabbed_categories, support_courseid, force_download_leaflet, allow_tax, terms, paymodes, default_paymode, navsteps, enabled, sortorder, created_at, modified_at) VALUES
(1, 'Boutique de formation', '<p>Inscrivez-vous à nos formations en ligne.</p>', 1, 'EUR', 1, 0, 0, 1, 0, 1, 1, '<p>Conditions générales de vente : voir le site.</p>', '{"transfer": true, "check": true, "freeorder": true, "test": true}', 'transfer', '', 1, 0, 1735689600, 1735689600);

INSERT IGNORE INTO {shop}invoice_series (id, code, kind, seller, format, yearly_reset, enabled, created_at) VALUES
(1, 'F', 'invoice', '', 'F{YYYY}-{NNNNNN}', 1, 1, 1735689600),
(2, 'AV', 'credit_note', '', 'AV{YYYY}-{NNNNNN}', 1, 1, 1735689600);

-- The exempt training tax prints its legal mention on documents (schema 6).
UPDATE {shop}tax SET exemption_note = 'Exonération de TVA, article 261-4-4° a du CGI (formation professionnelle continue).'
 WHERE id = 2 AND exemption_note = '';

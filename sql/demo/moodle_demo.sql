-- Demo Moodle 4.5 site for the mod_shop demo/test stack. NEVER load into a real Moodle.
-- Rows are written as Moodle's installer and APIs write them (moodle_schema.md section 2):
-- contexts with path/depth, sections 0..n, default enrol instances (manual, guest, self), config rows.
-- Idempotent: fixed ids + INSERT IGNORE. Fixed times: 1735689600 = 2025-01-01 00:00 UTC.
-- Passwords (SHA-512 crypt, rounds=10000, as Moodle 4.3+ writes them):
-- admin = Admin1234!   guest = guest   every other demo user = Demo1234!

SET NAMES utf8mb4;

-- MNet: id 1 = this site (mnet_localhost_id), id 2 = the 'All Hosts' pseudo host.
INSERT IGNORE INTO {mdl}mnet_host (id, deleted, wwwroot, ip_address, name, public_key, public_key_expires, transport, portno, last_connect_time, last_log_id, force_theme, theme, applicationid, sslverification) VALUES
(1, 0, 'http://127.0.0.1', '127.0.0.1', '', '', 0, 0, 0, 0, 0, 0, NULL, 1, 0),
(2, 0, '', '', 'All Hosts', '', 0, 0, 0, 0, 0, 0, NULL, 1, 0);

-- Core settings. NOTE: real Moodle keeps wwwroot in config.php only, the wwwroot row is a
-- convenience of the demo stack (its start script UPDATEs it), never rely on it in production.
INSERT IGNORE INTO {mdl}config (id, name, value) VALUES
(1, 'wwwroot', 'http://127.0.0.1'),
(2, 'siteadmins', '2'),
(3, 'siteguest', '1'),
(4, 'sessioncookie', ''),
(5, 'sessioncookiepath', ''),
(6, 'sessioncookiedomain', ''),
(7, 'sessiontimeout', '28800'),
(8, 'sessiontimeoutwarning', '1200'),
(9, 'dbsessions', '0'),
(10, 'mnet_localhost_id', '1'),
(11, 'mnet_all_hosts_id', '2'),
(12, 'lang', 'en'),
(13, 'timezone', 'Europe/Paris'),
(14, 'forcetimezone', '99'),
(15, 'country', 'FR'),
(16, 'defaultcity', ''),
(17, 'enrol_plugins_enabled', 'manual,guest,self,cohort'),
(18, 'defaultuserroleid', '7'),
(19, 'guestroleid', '6'),
(20, 'notloggedinroleid', '6'),
(21, 'creatornewroleid', '3'),
(22, 'defaultfrontpageroleid', '8'),
(23, 'version', '2024100700.00'),
(24, 'release', '4.5 (Build: 20241007)'),
(25, 'branch', '405'),
(26, 'siteidentifier', 'mshopdemo5f0c2a9e41d7b3c8a6e2f1d0b9c8a7e6127.0.0.1'),
(27, 'allversionshash', '4b7a3c9d2e1f0a8b6c5d4e3f2a1b0c9d8e7f6a5b'),
(28, 'extendedusernamechars', '0'),
(29, 'cookiesecure', '0'),
(30, 'supportemail', 'support@formations-demo.example'),
(31, 'noreplyaddress', 'noreply@formations-demo.example'),
(32, 'guestloginbutton', '1'),
(33, 'registerauth', '');

-- Plugin settings read by the enrolment code and by course creation.
INSERT IGNORE INTO {mdl}config_plugins (id, plugin, name, value) VALUES
(1, 'enrol_manual', 'version', '2024100700'),
(2, 'enrol_manual', 'roleid', '5'),
(3, 'enrol_manual', 'status', '0'),
(4, 'enrol_manual', 'defaultenrol', '1'),
(5, 'enrol_manual', 'enrolperiod', '0'),
(6, 'enrol_manual', 'expiredaction', '1'),
(7, 'enrol_manual', 'expirynotifyhour', '6'),
(8, 'enrol_manual', 'expirythreshold', '86400'),
(9, 'enrol_self', 'version', '2024100700'),
(10, 'enrol_self', 'roleid', '5'),
(11, 'enrol_self', 'status', '1'),
(12, 'enrol_self', 'defaultenrol', '1'),
(13, 'enrol_self', 'expiredaction', '1'),
(14, 'enrol_guest', 'version', '2024100700'),
(15, 'enrol_guest', 'status', '1'),
(16, 'enrol_guest', 'defaultenrol', '1'),
(17, 'moodlecourse', 'format', 'topics'),
(18, 'moodlecourse', 'numsections', '4'),
(19, 'moodlecourse', 'hiddensections', '1'),
(20, 'moodlecourse', 'coursedisplay', '0'),
(21, 'moodlecourse', 'visible', '1'),
(22, 'tool_log', 'enabled_stores', 'logstore_standard'),
(23, 'logstore_standard', 'version', '2024100700'),
(24, 'logstore_standard', 'jsonformat', '1'),
(25, 'logstore_standard', 'logguests', '1'),
(26, 'mod_quiz', 'version', '2024100700'),
(27, 'auth_manual', 'version', '2024100700');

-- Roles: the 8 standard roles (Moodle leaves name and description empty and localises them by
-- shortname) + the roles local_shop's installer adds (sales, customer, courseowner, categoryowner).
INSERT IGNORE INTO {mdl}role (id, name, shortname, description, sortorder, archetype) VALUES
(1, '', 'manager', '', 1, 'manager'),
(2, '', 'coursecreator', '', 2, 'coursecreator'),
(3, '', 'editingteacher', '', 3, 'editingteacher'),
(4, '', 'teacher', '', 4, 'teacher'),
(5, '', 'student', '', 5, 'student'),
(6, '', 'guest', '', 6, 'guest'),
(7, '', 'user', '', 7, 'user'),
(8, '', 'frontpage', '', 8, 'frontpage'),
(9, 'Sales staff', 'sales', 'Receives order notifications and manages the shop back office.', 9, ''),
(10, 'Customer', 'customer', 'Given to buyers in the customer support course.', 10, ''),
(11, 'Course owner', 'courseowner', 'Owner of a course bought in the shop (clone of editingteacher).', 11, 'editingteacher'),
(12, 'Category owner', 'categoryowner', 'Owner of a category bought in the shop (clone of coursecreator).', 12, 'coursecreator');

-- Users: 1 guest, 2 admin, 3-6 customers, 7 sales staff, 8 suspended, 9 deleted (renamed the way
-- delete_user() does: username = email.time, email = md5(old username), no context).
INSERT IGNORE INTO {mdl}user (id, auth, confirmed, deleted, suspended, mnethostid, username, password, idnumber, firstname, lastname, email, institution, department, city, country, lang, calendartype, timezone, description, descriptionformat, mailformat, maildisplay, autosubscribe, timecreated, timemodified) VALUES
(1, 'manual', 1, 0, 0, 1, 'guest', '$6$rounds=10000$mshopDemoGuest01$DkOeHv6qqV7JHICreRyopwg4eQqMf7eDg5lRORKukCKGk2WxjRDXCWj6BhsJE7iQw1/0k30f4TaN0ccZ3847W/', '', 'Guest user', ' ', 'root@localhost', '', '', '', '', 'en', 'gregorian', '99', 'This user is a special user that allows read-only access to some courses.', 1, 1, 2, 1, 0, 1735689600),
(2, 'manual', 1, 0, 0, 1, 'admin', '$6$rounds=10000$mshopDemoAdmin01$lOkCKWU36c5GNfuaJcbhTuThSKv9wKnm92Gzk/72/09G3dlgvg2TzO5b0Bm6CUj1h6YMbPXZGyw675GYuv7aT1', '', 'Admin', 'User', 'admin@example.com', '', '', 'Paris', 'FR', 'en', 'gregorian', '99', NULL, 1, 1, 1, 1, 1735689600, 1735689600),
(3, 'manual', 1, 0, 0, 1, 'alice.martin', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'Alice', 'Martin', 'alice.martin@example.com', 'Martin Conseil', '', 'Lyon', 'FR', 'fr', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1735689600),
(4, 'manual', 1, 0, 0, 1, 'bob.smith', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'Bob', 'Smith', 'bob.smith@example.com', 'Smith & Sons Ltd', 'Accounting', 'London', 'GB', 'en', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1735689600),
(5, 'manual', 1, 0, 0, 1, 'chloe.dubois', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'Chloé', 'Dubois', 'chloe.dubois@example.com', '', '', 'Paris', 'FR', 'fr', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1735689600),
(6, 'manual', 1, 0, 0, 1, 'david.miller', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'David', 'Miller', 'david.miller@example.com', 'Miller Logistics', '', 'Boston', 'US', 'en', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1735689600),
(7, 'manual', 1, 0, 0, 1, 'sam.sales', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'Sam', 'Sales', 'sam.sales@example.com', 'Formations Démo SAS', 'Sales', 'Paris', 'FR', 'en', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1735689600),
(8, 'manual', 1, 0, 1, 1, 'emma.petit', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'Emma', 'Petit', 'emma.petit@example.com', '', '', 'Nantes', 'FR', 'fr', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1735776000),
(9, 'manual', 1, 1, 0, 1, 'frank.moreau@example.com.1736899200', '$6$rounds=10000$mshopDemoUsers01$Bk/qH8TIkgEPuvYyNA9kF10fP7iFpIIFeAC3SPUehGM9ADg7ShRtJUojRyjCVVCO07bv6v8ZfwFJ4k/6RY/9b0', '', 'Frank', 'Moreau', 'baa18f4e3fbcca9c4d04c6b25649bbcf', '', '', 'Bordeaux', 'FR', 'fr', 'gregorian', '99', NULL, 1, 1, 2, 1, 1735689600, 1736899200);

INSERT IGNORE INTO {mdl}user_preferences (id, userid, name, value) VALUES
(1, 2, 'auth_manual_passwordupdatetime', '1735689600'),
(2, 3, 'auth_manual_passwordupdatetime', '1735689600'),
(3, 4, 'auth_manual_passwordupdatetime', '1735689600'),
(4, 5, 'auth_manual_passwordupdatetime', '1735689600'),
(5, 6, 'auth_manual_passwordupdatetime', '1735689600'),
(6, 7, 'auth_manual_passwordupdatetime', '1735689600'),
(7, 8, 'auth_manual_passwordupdatetime', '1735689600');

-- Course categories: path is made of CATEGORY ids, sortorder in steps of 10000.
INSERT IGNORE INTO {mdl}course_categories (id, name, idnumber, description, descriptionformat, parent, sortorder, coursecount, visible, visibleold, timemodified, depth, path, theme) VALUES
(1, 'Miscellaneous', NULL, NULL, 0, 0, 10000, 1, 1, 1, 1735689600, 1, '/1', NULL),
(2, 'Professional training', 'PROTRAIN', '<p>Courses sold through the training shop.</p>', 1, 0, 20000, 4, 1, 1, 1735689600, 1, '/2', NULL);

-- Courses: 1 = site (front page, never enrol), 2-5 for sale, 6 hidden (negative tests).
INSERT IGNORE INTO {mdl}course (id, category, sortorder, fullname, shortname, idnumber, summary, summaryformat, format, newsitems, startdate, enddate, visible, visibleold, timecreated, timemodified, cacherev) VALUES
(1, 0, 1, 'Formations Démo', 'formations-demo', '', '', 0, 'site', 3, 0, 0, 1, 1, 1735689600, 1735689600, 0),
(2, 2, 20001, 'Excel for beginners', 'EXCEL101', 'EXCEL101', '<p>Spreadsheets from the first cell to pivot tables.</p>', 1, 'topics', 1, 1735689600, 0, 1, 1, 1735689600, 1735689600, 0),
(3, 2, 20002, 'Project management', 'PM200', 'PM200', '<p>Plan, run and close projects.</p>', 1, 'topics', 1, 1735689600, 0, 1, 1, 1735689600, 1735689600, 0),
(4, 2, 20003, 'French for business', 'FR-BIZ', 'FR-BIZ', '<p>Business French for meetings and mail.</p>', 1, 'topics', 1, 1735689600, 0, 1, 1, 1735689600, 1735689600, 0),
(5, 1, 10001, 'Safety at work', 'SAFE1', 'SAFE1', '<p>Workplace health and safety essentials.</p>', 1, 'topics', 1, 1735689600, 0, 1, 1, 1735689600, 1735689600, 0),
(6, 2, 20004, 'Word 2010 (archived)', 'WORD2010', 'WORD2010', '<p>Retired course, hidden.</p>', 1, 'topics', 1, 1735689600, 0, 0, 0, 1735689600, 1735689600, 0);

-- Contexts: path is made of CONTEXT ids, depth = number of path elements.
-- 1 system, 2 site course, 3-4 categories, 5-12 users 1-8, 13-17 courses 2-6.
INSERT IGNORE INTO {mdl}context (id, contextlevel, instanceid, path, depth, locked) VALUES
(1, 10, 0, '/1', 1, 0),
(2, 50, 1, '/1/2', 2, 0),
(3, 40, 1, '/1/3', 2, 0),
(4, 40, 2, '/1/4', 2, 0),
(5, 30, 1, '/1/5', 2, 0),
(6, 30, 2, '/1/6', 2, 0),
(7, 30, 3, '/1/7', 2, 0),
(8, 30, 4, '/1/8', 2, 0),
(9, 30, 5, '/1/9', 2, 0),
(10, 30, 6, '/1/10', 2, 0),
(11, 30, 7, '/1/11', 2, 0),
(12, 30, 8, '/1/12', 2, 0),
(13, 50, 2, '/1/4/13', 3, 0),
(14, 50, 3, '/1/4/14', 3, 0),
(15, 50, 4, '/1/4/15', 3, 0),
(16, 50, 5, '/1/3/16', 3, 0),
(17, 50, 6, '/1/4/17', 3, 0);

-- Sections 0..1 for the site course, 0..4 (moodlecourse/numsections) for the others.
INSERT IGNORE INTO {mdl}course_sections (id, course, section, name, summary, summaryformat, sequence, visible, availability, component, itemid, timemodified) VALUES
(1, 1, 0, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(2, 1, 1, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(3, 2, 0, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(4, 2, 1, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(5, 2, 2, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(6, 2, 3, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(7, 2, 4, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(8, 3, 0, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(9, 3, 1, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(10, 3, 2, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(11, 3, 3, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(12, 3, 4, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(13, 4, 0, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(14, 4, 1, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(15, 4, 2, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(16, 4, 3, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(17, 4, 4, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(18, 5, 0, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(19, 5, 1, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(20, 5, 2, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(21, 5, 3, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(22, 5, 4, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(23, 6, 0, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(24, 6, 1, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(25, 6, 2, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(26, 6, 3, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600),
(27, 6, 4, NULL, '', 1, '', 1, NULL, NULL, NULL, 1735689600);

INSERT IGNORE INTO {mdl}course_format_options (id, courseid, format, sectionid, name, value) VALUES
(1, 2, 'topics', 0, 'hiddensections', '1'),
(2, 2, 'topics', 0, 'coursedisplay', '0'),
(3, 3, 'topics', 0, 'hiddensections', '1'),
(4, 3, 'topics', 0, 'coursedisplay', '0'),
(5, 4, 'topics', 0, 'hiddensections', '1'),
(6, 4, 'topics', 0, 'coursedisplay', '0'),
(7, 5, 'topics', 0, 'hiddensections', '1'),
(8, 5, 'topics', 0, 'coursedisplay', '0'),
(9, 6, 'topics', 0, 'hiddensections', '1'),
(10, 6, 'topics', 0, 'coursedisplay', '0');

-- Default enrol instances, as create_course() adds them: manual (enabled, student), guest
-- (disabled), self (disabled, student, new enrolments allowed). Self is enabled on SAFE1 only.
-- Ids per course C (2..6): manual 3*(C-2)+1, guest 3*(C-2)+2, self 3*(C-2)+3.
INSERT IGNORE INTO {mdl}enrol (id, enrol, status, courseid, sortorder, name, enrolperiod, enrolstartdate, enrolenddate, expirynotify, expirythreshold, notifyall, password, roleid, customint1, customint2, customint3, customint4, customint5, customint6, timecreated, timemodified) VALUES
(1, 'manual', 0, 2, 0, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(2, 'guest', 1, 2, 1, NULL, 0, 0, 0, 0, 0, 0, '', 0, NULL, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(3, 'self', 1, 2, 2, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, 0, 0, 1, 0, 1, 1735689600, 1735689600),
(4, 'manual', 0, 3, 0, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(5, 'guest', 1, 3, 1, NULL, 0, 0, 0, 0, 0, 0, '', 0, NULL, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(6, 'self', 1, 3, 2, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, 0, 0, 1, 0, 1, 1735689600, 1735689600),
(7, 'manual', 0, 4, 0, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(8, 'guest', 1, 4, 1, NULL, 0, 0, 0, 0, 0, 0, '', 0, NULL, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(9, 'self', 1, 4, 2, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, 0, 0, 1, 0, 1, 1735689600, 1735689600),
(10, 'manual', 0, 5, 0, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(11, 'guest', 1, 5, 1, NULL, 0, 0, 0, 0, 0, 0, '', 0, NULL, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(12, 'self', 0, 5, 2, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, 0, 0, 1, 0, 1, 1735689600, 1735689600),
(13, 'manual', 0, 6, 0, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(14, 'guest', 1, 6, 1, NULL, 0, 0, 0, 0, 0, 0, '', 0, NULL, NULL, NULL, NULL, NULL, NULL, 1735689600, 1735689600),
(15, 'self', 1, 6, 2, NULL, 0, 0, 0, 0, 86400, 0, NULL, 5, 0, 0, 0, 1, 0, 1, 1735689600, 1735689600);

-- Existing enrolments: Bob active in EXCEL101 (no end), Alice in PM200 expired on 2025-01-01,
-- Chloe in FR-BIZ with a suspended enrolment (status 1). All through the manual instances.
INSERT IGNORE INTO {mdl}user_enrolments (id, status, enrolid, userid, timestart, timeend, modifierid, timecreated, timemodified) VALUES
(1, 0, 1, 4, 1735776000, 0, 2, 1735776000, 1735776000),
(2, 0, 4, 3, 1704067200, 1735689600, 2, 1704067200, 1704067200),
(3, 1, 7, 5, 1735776000, 0, 2, 1735776000, 1736899200);

-- Role assignments: Sam = sales at system context, students in their course contexts
-- (manual enrolment: component '' and itemid 0).
INSERT IGNORE INTO {mdl}role_assignments (id, roleid, contextid, userid, timemodified, modifierid, component, itemid, sortorder) VALUES
(1, 9, 1, 7, 1735689600, 2, '', 0, 0),
(2, 5, 13, 4, 1735776000, 2, '', 0, 0),
(3, 5, 14, 3, 1704067200, 2, '', 0, 0),
(4, 5, 15, 5, 1735776000, 2, '', 0, 0);

-- A quiz in EXCEL101 for the std_addquizattempts action (2 attempts allowed).
INSERT IGNORE INTO {mdl}quiz (id, course, name, intro, introformat, attempts, preferredbehaviour, grademethod, sumgrades, grade, timecreated, timemodified) VALUES
(1, 2, 'Excel final assessment', '<p>Twenty questions on formulas and charts.</p>', 1, 2, 'deferredfeedback', 1, 20.00000, 10.00000, 1735689600, 1735689600);

-- pg_dump of the programme database, 2024-06-01 (extract)
SET client_encoding = 'UTF8';

INSERT INTO patient VALUES ('KCH-40210', 'Ruth Mutua', '1971-02-19', 'M', 'Kisumu West');
INSERT INTO patient VALUES ('KCH-40211', 'Esther Kamau', '1965-03-06', 'F', 'Kisumu West');
INSERT INTO patient VALUES ('KCH-40212', 'Peter Otieno', '1998-09-25', 'F', 'Kisumu West');
INSERT INTO patient VALUES ('KCH-40213', 'Samuel Otieno', '1948-09-20', 'M', 'Kisumu East');
INSERT INTO patient VALUES ('KCH-40214', 'Joseph Njoroge', '1999-07-26', 'F', 'Nyando');
INSERT INTO patient VALUES ('KCH-40215', 'Aisha Otieno', '1978-08-19', 'M', 'Kisumu East');
INSERT INTO patient VALUES ('KCH-40216', 'Esther Otieno', '1945-04-12', 'M', 'Seme');
INSERT INTO patient VALUES ('KCH-40217', 'Grace Kiprono', '1996-04-10', 'F', 'Nyando');
INSERT INTO patient VALUES ('KCH-40218', 'Ruth Mutua', '1980-11-11', 'M', 'Kisumu West');
INSERT INTO patient VALUES ('KCH-40219', 'Joseph Nyambura', '1985-03-16', 'M', 'Seme');
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40210', 'B20', '2014-04-03', 'positive', NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40211', 'E11.9', '2016-06-05', NULL, NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40212', 'I10', '2020-08-01', NULL, NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40213', 'N18.3', '2017-10-14', NULL, NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40214', 'Z94.0', '2012-01-11', NULL, NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40215', 'E10.65', '2019-01-23', NULL, NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40216', 'B20', '2013-05-22', 'positive', NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40217', 'I10', '2023-10-08', NULL, NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40218', 'B20', '2023-06-01', 'positive', NULL);
INSERT INTO diagnosis (patient_id, icd10_code, diagnosed_on, hiv_status, notes) VALUES ('KCH-40219', 'E11.9', '2023-05-24', NULL, NULL);

-- Programme database (PostgreSQL). Schema only.
CREATE TABLE patient (
    patient_id     VARCHAR(16) PRIMARY KEY,
    full_name      VARCHAR(120) NOT NULL,
    date_of_birth  DATE NOT NULL,
    sex            CHAR(1) NOT NULL,
    district       VARCHAR(40)
);

CREATE TABLE diagnosis (
    diagnosis_id   SERIAL PRIMARY KEY,
    patient_id     VARCHAR(16) NOT NULL REFERENCES patient(patient_id),
    icd10_code     VARCHAR(8) NOT NULL,   -- e.g. B20 (HIV disease), E11 (type 2 diabetes)
    diagnosed_on   DATE NOT NULL,
    hiv_status     VARCHAR(12),
    notes          TEXT
);

CREATE INDEX diagnosis_patient ON diagnosis(patient_id);

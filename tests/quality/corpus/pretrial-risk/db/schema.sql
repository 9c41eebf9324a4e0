-- Case management tables the service reads. Schema only: rows live in the court's database.
CREATE TABLE defendant (
    person_id      VARCHAR(12) PRIMARY KEY,
    full_name      VARCHAR(120) NOT NULL,
    date_of_birth  DATE NOT NULL,
    race           VARCHAR(32),
    sex            CHAR(1)
);

CREATE TABLE charge (
    charge_id      SERIAL PRIMARY KEY,
    person_id      VARCHAR(12) REFERENCES defendant(person_id),
    charge_code    VARCHAR(16) NOT NULL,
    charge_desc    VARCHAR(200) NOT NULL,
    charge_degree  VARCHAR(4),
    offense_date   DATE,
    disposition    VARCHAR(40)
);

CREATE TABLE assessment (
    assessment_id  SERIAL PRIMARY KEY,
    person_id      VARCHAR(12) REFERENCES defendant(person_id),
    assessed_at    TIMESTAMP NOT NULL,
    rearrest_level VARCHAR(10),
    fta_level      VARCHAR(10)
);

with source as (
    select * from {{ source('ehr', 'patient') }}
)

select
    patient_id,
    {{ hash_pii('full_name') }} as name_hash,
    date_trunc('year', birth_date) as birth_year,
    sex,
    race,
    ethnicity,
    primary_diagnosis_code,
    hiv_status is not null as hiv_status_recorded
from source
where not is_test_patient

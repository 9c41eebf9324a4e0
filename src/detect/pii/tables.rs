// @generated from rules/pii/*.yaml by tiergate::rules::codegen; do not edit.
// Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.

#![allow(unused_imports)]

use super::Class::{Alnum, Any, Digits};
use super::Form::{Groups, LetterAfter, Upper};
use super::Mode::{Exact, HeaderOnly, Part};
use super::{NationalId, Shape, Tables};
use crate::model::Confidence::{High, Low, Medium};

/// The personal-data detectors' knowledge.
pub const TABLES: Tables = Tables {
    keywords: [
        // card
        &["card", "credit", "debit", "visa", "mastercard", "amex", "american express", "maestro", "cvv", "cvv2", "cvc", "ccnum", "cc_num*", "cc number", "payment", "expiry", "expiration", "kreditkarte", "tarjeta"],
        // iban
        &["iban", "bank", "account", "bic", "swift", "konto*", "rekeningnummer"],
        // ssn
        &["ssn", "social security", "social_security", "socialsecurity", "soc sec", "taxpayer"],
        // nino
        &["nino", "national insurance", "national_insurance", "nationalinsurance", "ni number", "ni_number"],
        // nhs
        &["nhs", "health service", "chi number"],
        // rrn
        &["rrn", "resident registration", "resident_registration", "주민등록번호", "주민번호", "jumin"],
        // pesel
        &["pesel"],
        // dni
        &["dni", "nie", "nif:", "nif ", "nif=", "nif_", "documento nacional", "numero de identidad", "número de identidad", "extranjero"],
        // cf
        &["codice fiscale", "codice_fiscale", "codicefiscale", "fiscal code", "fiscal_code", "fiscalcode", "tax code", "tax_code", "cod_fisc*"],
        // bsn
        &["bsn", "burgerservicenummer", "burger service", "sofinummer", "sofi"],
        // nir
        &["nir", "insee", "sécurité sociale", "securite sociale", "securite_sociale", "carte vitale", "social security"],
        // hetu
        &["hetu", "henkilötunnus", "henkilotunnus", "personal identity code", "sotu"],
        // pnr
        &["personnummer", "personnr", "pnr", "samordningsnummer", "personal number", "personal_number"],
        // steuer
        &["steuer*", "idnr", "identifikationsnummer", "tax id", "tax_id", "taxid", "tax identification"],
        // aba
        &["aba ", "aba:", "aba=", "aba_", "aba-", "routing", "rtn", "transit number", "fedwire"],
        // phone
        &["phone", "tel", "telephone", "telefon*", "téléphone", "mobile", "fax", "whatsapp", "sms"],
        // email
        &["email", "e-mail", "mail", "mailto", "contact"],
        // ip
        &["ip:", "ip=", "ip ", "ip address", "ip_address", "ipaddress", "ipaddr", "ip_addr*", "client_ip", "clientip", "remote_ip", "src_ip", "ipv4", "remote_addr", "x-forwarded-for", "x-real-ip"],
        // medical
        &["diagnos*", "patient*", "medical", "clinical", "disease", "hospital", "symptom*", "treatment", "health record", "comorbid*"],
        // icd
        &["icd"],
        // nat_id
        &["national id", "national_id", "nationalid", "id number", "id_number", "identity number", "identity_number", "personal id", "citizen id"],
    ],
    special: &[
        (&["ethnicity"], "special.ethnicity", Part),
        (&["ethnic"], "special.ethnicity", Part),
        (&["racial"], "special.ethnicity", Part),
        (&["race"], "special.ethnicity", Exact),
        (&["religion"], "special.religion", Part),
        (&["religious"], "special.religion", Part),
        (&["diagnosis"], "special.health", Part),
        (&["diagnoses"], "special.health", Part),
        (&["medical", "condition"], "special.health", Part),
        (&["medical", "history"], "special.health", Part),
        (&["medical", "problems"], "special.health", Part),
        (&["health", "condition"], "special.health", Part),
        (&["hiv", "status"], "special.health", Part),
        (&["disability"], "special.health", Part),
        (&["disabilities"], "special.health", Part),
        (&["hiv"], "special.health", Exact),
        (&["health"], "special.health", HeaderOnly),
        (&["health", "status"], "special.health", HeaderOnly),
        (&["illness"], "special.health", HeaderOnly),
        (&["disease"], "special.health", HeaderOnly),
        (&["medication"], "special.health", HeaderOnly),
        (&["biometric"], "special.biometric", HeaderOnly),
        (&["biometrics"], "special.biometric", HeaderOnly),
        (&["biometric", "data"], "special.biometric", Part),
        (&["biometric", "template"], "special.biometric", Part),
        (&["biometric", "templates"], "special.biometric", Part),
        (&["biometric", "sample"], "special.biometric", Part),
        (&["biometric", "hash"], "special.biometric", Part),
        (&["face", "embedding"], "special.biometric", Part),
        (&["face", "embeddings"], "special.biometric", Part),
        (&["face", "encoding"], "special.biometric", Part),
        (&["face", "encodings"], "special.biometric", Part),
        (&["face", "template"], "special.biometric", Part),
        (&["faceprint"], "special.biometric", Part),
        (&["voiceprint"], "special.biometric", Part),
        (&["palmprint"], "special.biometric", Part),
        (&["iris", "scan"], "special.biometric", Part),
        (&["fingerprint", "template"], "special.biometric", Part),
        (&["fingerprint", "image"], "special.biometric", Part),
        (&["fingerprint"], "special.biometric", HeaderOnly),
        (&["genetic"], "special.genetic", Part),
        (&["genotype"], "special.genetic", Part),
        (&["dna", "sequence"], "special.genetic", Part),
        (&["dna", "sample"], "special.genetic", Part),
        (&["dna", "profile"], "special.genetic", Part),
        (&["dna"], "special.genetic", Exact),
        (&["sexual", "orientation"], "special.sexual_orientation", Part),
        (&["sexuality"], "special.sexual_orientation", Part),
        (&["sex", "life"], "special.sexual_orientation", Part),
        (&["political", "opinion"], "special.political_opinion", Part),
        (&["political", "opinions"], "special.political_opinion", Part),
        (&["political", "affiliation"], "special.political_opinion", Part),
        (&["political", "party"], "special.political_opinion", Part),
        (&["political", "views"], "special.political_opinion", Part),
        (&["party", "affiliation"], "special.political_opinion", Part),
        (&["trade", "union"], "special.trade_union", Part),
        (&["union", "member"], "special.trade_union", Part),
        (&["union", "membership"], "special.trade_union", Part),
        (&["labor", "union"], "special.trade_union", Part),
        (&["labour", "union"], "special.trade_union", Part),
        (&["criminal", "record"], "special.criminal_record", Part),
        (&["criminal", "records"], "special.criminal_record", Part),
        (&["criminal", "history"], "special.criminal_record", Part),
        (&["criminal", "offence"], "special.criminal_record", Part),
        (&["criminal", "offense"], "special.criminal_record", Part),
        (&["conviction"], "special.criminal_record", Part),
        (&["convictions"], "special.criminal_record", Part),
        (&["arrest", "record"], "special.criminal_record", Part),
    ],
    affixes: &["patient", "person", "subject", "member", "user", "customer", "employee", "applicant", "client", "self", "reported", "code", "id", "cd", "category", "group", "status", "flag", "type", "desc", "description", "name", "value", "label"],
    context: [
        // sql_types
        &["varchar", "nvarchar", "char", "text", "int", "integer", "smallint", "bigint", "bool", "boolean", "string", "enum", "date", "json", "jsonb", "blob", "bytea", "varbinary", "float", "double", "decimal", "numeric", "timestamp"],
        // email_file_extensions
        &["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "js", "mjs", "cjs", "ts", "tsx", "jsx", "css", "scss", "less", "json", "yml", "yaml", "toml", "md", "rs", "go", "py", "rb", "java", "kt", "txt", "lock", "html", "htm", "xml", "map", "woff", "ttf", "pdf", "zip", "gz"],
        // type_names
        &["str", "string", "text", "int", "integer", "long", "short", "byte", "number", "float", "double", "decimal", "bool", "boolean", "char", "date", "datetime", "timestamp", "time", "uuid", "bytes", "object", "array", "list", "dict", "map", "enum", "any", "keyword", "varchar", "optional", "nullable", "int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "repeated", "required"],
        // schema_keys
        &["type", "$ref", "enum", "format", "items", "properties", "description", "anyOf", "oneOf", "allOf", "nullable", "maxLength", "minLength", "pattern", "title", "default", "const", "example", "examples", "required", "x-nullable"],
        // field_name_keys
        &["name", "field", "fieldName", "field_name", "column", "columnName", "column_name", "property", "attribute", "key"],
        // null_values
        &["null", "nil", "n/a", "na", "nan", "undefined", "-", "?", "\\n"],
        // schema_markers
        &["Column(", "Field(", "models.", "fields.", "db.Column", "sa.Column", "mapped_column(", "@Column", "@Field", "@Prop", "@Property", "t.string", "t.text", "t.integer", "t.boolean", "t.date", "t.column", "add_column", "attr_accessor", "DataTypes.", "Schema.Types", "prop("],
        // declaration_keywords
        &["class", "struct", "enum", "interface", "trait", "type", "record", "object", "new", "import", "package", "from", "extends", "implements", "module", "namespace", "def", "fn", "func", "function", "case"],
        // field_modifiers
        &["private", "protected", "public", "internal", "readonly", "lateinit"],
        // prose_extensions
        &["md", "markdown", "mdx", "rst", "txt", "text", "adoc", "asciidoc", "org", "tex", "textile", "rdoc", "pod", "wiki", "rtf"],
        // prose_names
        &["readme", "license", "licence", "changelog", "changes", "notice", "authors", "contributors", "copying", "history", "news", "todo", "contributing", "security", "code_of_conduct"],
        // label_extensions
        &["properties", "po", "pot", "strings", "stringsdict", "resx", "resw", "xlf", "xliff", "arb", "ftl"],
        // label_dirs
        &["i18n", "l10n", "locale", "locales", "lang", "langs", "language", "languages", "translations", "translation", "messages", "intl"],
        // locale_codes
        &["af", "am", "ar", "as", "az", "be", "bg", "bn", "bo", "br", "bs", "ca", "cs", "cy", "da", "de", "el", "en", "eo", "es", "et", "eu", "fa", "fi", "fil", "fo", "fr", "fy", "ga", "gd", "gl", "gu", "ha", "he", "hi", "hr", "hu", "hy", "id", "ig", "is", "it", "ja", "jv", "ka", "kk", "km", "kn", "ko", "ku", "ky", "la", "lb", "lo", "lt", "lv", "mg", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "nb", "ne", "nl", "nn", "no", "oc", "or", "pa", "pl", "ps", "pt", "ro", "ru", "rw", "sd", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "tk", "tl", "tr", "tt", "ug", "uk", "ur", "uz", "vi", "xh", "yi", "yo", "zh", "zu"],
        // markup_extensions
        &["html", "htm", "xhtml", "jsp", "erb", "hbs", "handlebars", "mustache", "ejs", "twig", "vue", "svelte", "cshtml", "razor", "j2", "jinja", "jinja2", "liquid", "gsp", "ftlh"],
        // schema_extensions
        &["proto", "avsc", "avdl", "graphql", "graphqls", "gql", "prisma", "thrift", "xsd", "fbs", "capnp", "smithy"],
        // machine_names
        &["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "cargo.lock", "gemfile.lock", "poetry.lock", "pipfile.lock", "composer.lock", "go.sum", "mix.lock", "pubspec.lock", "packages.lock.json", "flake.lock", "uv.lock", "gradle.lockfile", "podfile.lock", "package.resolved", "deno.lock", "bun.lock"],
        // machine_suffixes
        &[".min.js", ".min.css", ".min.mjs", ".js.map", ".css.map", ".lock", ".pb.go", "_pb2.py", "_pb2.pyi", ".pb.cc", ".pb.h", ".g.dart", ".freezed.dart", ".designer.cs", ".generated.cs"],
        // machine_markers
        &["split_feature=", "leaf_value=", "num_leaves=", "booster[", "gradient_booster", "oblivious_trees", "@generated", "do not edit", "code generated by", "auto-generated", "autogenerated"],
        // condition_words
        &["diabetes", "diabetic", "hypertension", "hypertensive", "asthma", "asthmatic", "cancer", "tumor", "tumour", "carcinoma", "leukemia", "lymphoma", "transplant", "transplanted", "dialysis", "chronic", "disease", "diseases", "disorder", "syndrome", "hiv", "aids", "hepatitis", "stroke", "cardiac", "cardiovascular", "heart", "kidney", "renal", "liver", "lung", "copd", "depression", "depressive", "anxiety", "dementia", "alzheimer", "alzheimers", "parkinson", "parkinsons", "epilepsy", "epileptic", "obesity", "obese", "pregnant", "pregnancy", "smoker", "alcoholism", "addiction", "allergy", "allergies", "arthritis", "schizophrenia", "bipolar", "autism", "adhd", "tuberculosis", "covid", "infection", "sclerosis", "anemia", "anaemia", "thyroid", "cholesterol", "hyperlipidemia", "comorbidity", "comorbidities", "diagnosed", "disability", "disabled", "illness", "psychiatric", "mental", "sickle", "hemophilia", "haemophilia", "cystic", "fibrosis", "osteoporosis", "insulin", "chemotherapy", "immunocompromised"],
        // person_key_words
        &["id", "name", "patient", "person", "subject", "participant", "member", "mrn", "client", "customer", "employee", "applicant", "resident", "student", "surname", "forename", "firstname", "lastname", "fullname"],
        // name_words
        &["name", "surname", "forename", "firstname", "lastname", "fullname", "givenname", "familyname", "vorname", "nachname", "apellido", "apellidos", "nombre", "prenom", "nom"],
        // name_qualifiers
        &["first", "last", "full", "given", "family", "middle", "maiden", "patient", "person", "customer", "client", "employee", "member", "applicant", "contact", "candidate", "student", "resident", "citizen", "participant", "subject", "holder"],
        // birth_words
        &["dob", "birth", "birthdate", "birthday", "born", "geburtsdatum", "nacimiento", "naissance"],
        // criminal_words
        &["offence", "offences", "offense", "offenses", "offender", "conviction", "convictions", "convicted", "crime", "crimes", "criminal", "arrest", "arrests", "arrested", "felony", "felonies", "misdemeanor", "misdemeanors", "misdemeanour", "recid", "recidivism", "recidivist", "incarceration", "incarcerated", "parole", "jail", "prison"],
        // charge_words
        &["charge", "charges", "charged"],
        // crime_value_words
        &["theft", "battery", "assault", "burglary", "robbery", "possession", "trafficking", "fraud", "forgery", "homicide", "murder", "manslaughter", "arson", "vandalism", "trespass", "trespassing", "dui", "dwi", "larceny", "shoplifting", "kidnapping", "rape", "stalking", "harassment", "felony", "misdemeanor", "cocaine", "cannabis", "marijuana", "heroin", "firearm", "weapon", "embezzlement", "bribery", "smuggling", "perjury", "prostitution", "disorderly", "violation", "resisting", "contempt"],
        // person_attribute_words
        &["age", "sex", "gender", "height", "weight", "bmi", "ethnicity", "nationality"],
        // subject_labels
        &["name", "full name", "applicant", "candidate", "patient", "client", "claimant", "employee", "interviewee", "student", "pupil", "data subject", "resident", "tenant", "beneficiary", "respondent", "witness", "suspect", "defendant", "complainant", "asylum seeker", "member"],
        // document_sections
        &["profile", "summary", "professional summary", "experience", "work experience", "professional experience", "work history", "employment", "employment history", "career", "education", "education and training", "qualifications", "skills", "technical skills", "certifications", "languages", "references", "interests", "hobbies", "personal details", "personal information", "objective"],
        // placeholder_names
        &["john doe", "jane doe", "john smith", "jane smith", "max mustermann", "erika mustermann", "firstname lastname", "first name last name", "your name", "full name"],
        // project_doc_names
        &["readme", "license", "licence", "changelog", "changes", "notice", "authors", "contributors", "contributing", "copying", "history", "news", "todo", "faq", "security", "maintainers", "governance", "support", "code_of_conduct"],
        // event_person_words
        &["student", "pupil", "candidate", "applicant", "employee", "worker", "user", "username", "patient", "person", "subject", "participant", "member", "customer", "client", "resident", "citizen", "passenger", "driver", "visitor", "attendee", "suspect", "defendant", "traveller", "traveler", "officer", "operator"],
        // reference_words
        &["id", "ids", "uuid", "uuids", "guid", "fk", "ref"],
    ],
    documentation: &[
        ("payment_card", &["4111111111111111", "4242424242424242", "4012888888881881", "4222222222222", "4000056655665556", "4000002500003155", "4000000000003220", "4000000000009995", "4917610000000000", "4462030000000000", "4917300800000000", "4484070000000000", "4988438843884305", "4263982640269299", "5555555555554444", "5105105105105100", "5200828282828210", "5454545454545454", "2223003122003222", "2223000048400011", "2222400070000005", "5425233430109903", "378282246310005", "371449635398431", "378734493671000", "370000000000002", "340000000000009", "6011111111111117", "6011000990139424", "6011981111111113", "6011000400000000", "6445644564456445", "3056930009020004", "30569309025904", "38520000023237", "36227206271667", "36006666333344", "3530111333300000", "3566002020360505", "3566111111111113", "6200000000000005", "6250946000000016", "6555900000604105", "6759649826438453", "6304000000000000"]),
        ("iban", &["GB82WEST12345698765432", "GB29NWBK60161331926819", "GB33BUKB20201555555555", "GB94BARC10201530093459", "DE89370400440532013000", "DE44500105175407324931", "DE75512108001245126199", "FR1420041010050500013M02606", "FR7630006000011234567890189", "ES9121000418450200051332", "ES7921000813610123456789", "IT60X0542811101000000123456", "NL91ABNA0417164300", "NL02ABNA0123456789", "BE68539007547034", "BE71096123456769", "CH9300762011623852957", "CH5604835012345678009", "AT611904300234573201", "AT483200000012345864", "PL61109010140000071219812874", "SE4550000000058398257466", "NO9386011117947", "DK5000400440116243", "FI2112345600000785", "IE29AIBK93115212345678", "IE64IRCE92050112345678", "PT50000201231234567890154", "LU280019400644750000", "SA0380000000608010167519", "AE070331234567890123456", "BR9700360305000010009795493P1", "GR1601101250000000012300695", "CZ6508000000192000145399", "HU42117730161111101800000000", "RO49AAAA1B31007593840000", "SK3112000000198742637541", "SI56263300012039086", "HR1210010051863000160", "LT121000011101001000", "LV80BANK0000435195001", "EE382200221020145685", "MT84MALT011000012345MTLCAST001S", "CY17002001280000001200527600", "BG80BNBG96611020345678", "IS140159260076545510730339", "LI21088100002324013AA", "MC5811222000010123456789030", "SM86U0322509800000000270100", "TR330006100519786457841326", "IL620108000000099999999"]),
        ("uk_nino", &["AB123456C"]),
        ("uk_nhs", &["9434765919", "4010232137"]),
        ("es_dni", &["12345678Z"]),
        ("es_nie", &["X1234567L"]),
        ("nl_bsn", &["111222333", "123456782"]),
        ("pl_pesel", &["44051401359", "02070803628"]),
        ("fi_hetu", &["131052-308T"]),
        ("se_personnummer", &["8112189876", "1212121212"]),
        ("de_steuer_id", &["86095742719", "65929970489"]),
        ("it_codice_fiscale", &["RSSMRA85T10A562S", "MRTMTT25D09F205Z"]),
        ("fr_nir", &["184127645108946", "269054958815780"]),
        ("aba_routing", &["123456780"]),
    ],
    national_ids: &[
        NationalId {
            signal: "pii.us_ssn",
            validator: "us_ssn",
            keywords: &["ssn"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[3, 2, 4], separators: "-" }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Digits, lengths: &[3, 2, 4], separators: " " }, keywords: None, without_keyword: Some(Low) },
                Shape { form: Groups { class: Digits, lengths: &[9], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.uk_nino",
            validator: "uk_nino",
            keywords: &["nino"],
            with_keyword: High,
            shapes: &[
                Shape { form: Upper { length: 9, spaced: &[2, 8] }, keywords: None, without_keyword: Some(Medium) },
            ],
        },
        NationalId {
            signal: "pii.uk_nhs",
            validator: "uk_nhs",
            keywords: &["nhs"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[3, 3, 4], separators: "- " }, keywords: None, without_keyword: None },
                Shape { form: Groups { class: Digits, lengths: &[10], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.kr_rrn",
            validator: "kr_rrn",
            keywords: &["rrn", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[6, 7], separators: "-" }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Digits, lengths: &[13], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.pl_pesel",
            validator: "pl_pesel",
            keywords: &["pesel", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[11], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.es_dni",
            validator: "es_dni",
            keywords: &["dni", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Alnum, lengths: &[9], separators: "" }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: LetterAfter { digits: 8, separators: "- " }, keywords: None, without_keyword: Some(Medium) },
            ],
        },
        NationalId {
            signal: "pii.es_nie",
            validator: "es_nie",
            keywords: &["dni", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Upper { length: 9, spaced: &[] }, keywords: None, without_keyword: Some(Medium) },
            ],
        },
        NationalId {
            signal: "pii.it_codice_fiscale",
            validator: "it_codice_fiscale",
            keywords: &["cf", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Upper { length: 16, spaced: &[] }, keywords: None, without_keyword: Some(Medium) },
            ],
        },
        NationalId {
            signal: "pii.nl_bsn",
            validator: "nl_bsn",
            keywords: &["bsn", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[4, 2, 3], separators: "." }, keywords: None, without_keyword: None },
                Shape { form: Groups { class: Digits, lengths: &[9], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.fr_nir",
            validator: "fr_nir",
            keywords: &["nir", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Any, lengths: &[1, 2, 2, 2, 3, 3, 2], separators: " " }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Any, lengths: &[15], separators: "" }, keywords: None, without_keyword: Some(Low) },
            ],
        },
        NationalId {
            signal: "pii.se_personnummer",
            validator: "se_personnummer",
            keywords: &["pnr", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Any, lengths: &[6, 4], separators: "-+" }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Digits, lengths: &[8, 4], separators: "-" }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Digits, lengths: &[10], separators: "" }, keywords: None, without_keyword: None },
                Shape { form: Groups { class: Digits, lengths: &[12], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.fi_hetu",
            validator: "fi_hetu",
            keywords: &["hetu", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Alnum, lengths: &[11], separators: "" }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Any, lengths: &[6, 4], separators: "-+" }, keywords: Some(&["hetu"]), without_keyword: Some(Medium) },
                Shape { form: Groups { class: Digits, lengths: &[8, 4], separators: "-" }, keywords: Some(&["hetu"]), without_keyword: Some(Medium) },
            ],
        },
        NationalId {
            signal: "pii.de_steuer_id",
            validator: "de_steuer_id",
            keywords: &["steuer", "nat_id"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[2, 3, 3, 3], separators: " " }, keywords: None, without_keyword: Some(Medium) },
                Shape { form: Groups { class: Digits, lengths: &[11], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
        NationalId {
            signal: "pii.aba_routing",
            validator: "aba_routing",
            keywords: &["aba"],
            with_keyword: High,
            shapes: &[
                Shape { form: Groups { class: Digits, lengths: &[9], separators: "" }, keywords: None, without_keyword: None },
            ],
        },
    ],
};

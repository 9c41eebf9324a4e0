// @generated from rules/pii/*.yaml by tiergate::rules::codegen; do not edit.
// Regenerate with `TIERGATE_BLESS=1 cargo test --test rules`.

use super::Mode::{Exact, HeaderOnly, Part};
use super::Tables;

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
        (&["biometric"], "special.biometric", Part),
        (&["biometrics"], "special.biometric", Part),
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
    sql_types: &["varchar", "nvarchar", "char", "text", "int", "integer", "smallint", "bigint", "bool", "boolean", "string", "enum", "date", "json", "jsonb", "blob", "bytea", "varbinary", "float", "double", "decimal", "numeric", "timestamp"],
    email_file_extensions: &["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "js", "mjs", "cjs", "ts", "tsx", "jsx", "css", "scss", "less", "json", "yml", "yaml", "toml", "md", "rs", "go", "py", "rb", "java", "kt", "txt", "lock", "html", "htm", "xml", "map", "woff", "ttf", "pdf", "zip", "gz"],
};

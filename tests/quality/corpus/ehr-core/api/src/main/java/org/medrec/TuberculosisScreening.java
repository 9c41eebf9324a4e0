package org.medrec;

/** Outcome of the symptom screening for tuberculosis at an encounter. */
public enum TuberculosisScreening {
	NO_SIGNS,
	PRESUMPTIVE_TB,
	ON_TB_TREATMENT,
	NOT_SCREENED
}

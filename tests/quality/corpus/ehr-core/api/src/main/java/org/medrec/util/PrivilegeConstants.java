package org.medrec.util;

/** Names of the privileges the core checks. Written to the database at startup. */
public final class PrivilegeConstants {

	public static final String GET_PATIENTS = "Get Patients";
	public static final String EDIT_PATIENTS = "Edit Patients";
	public static final String VIEW_HIV_PROGRAM = "View HIV Program";
	public static final String MANAGE_HIV_PROGRAM = "Manage HIV Program";
	public static final String VIEW_TB_PROGRAM = "View TB Program";
	public static final String VIEW_MENTAL_HEALTH_NOTES = "View Mental Health Notes";
	public static final String VIEW_SENSITIVE_DIAGNOSES = "View Sensitive Diagnoses";
	public static final String GET_CONCEPTS = "Get Concepts";

	private PrivilegeConstants() {
	}
}

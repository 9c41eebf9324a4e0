/**
 * This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.
 */
package org.medrec;

import java.util.Date;
import java.util.Set;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

/**
 * A person who receives care. Holds identifiers and demographic facts; clinical facts
 * are observations.
 */
@Entity
@Table(name = "patient")
public class Patient extends Person {

	@Column(name = "patient_id")
	private Integer patientId;

	private Set<PatientIdentifier> identifiers;

	@Column(name = "allergy_status", length = 50)
	private String allergyStatus = "Unknown";

	public Patient() {
	}

	public Integer getPatientId() {
		return patientId;
	}

	public void setPatientId(Integer patientId) {
		this.patientId = patientId;
	}

	public Set<PatientIdentifier> getIdentifiers() {
		return identifiers;
	}

	public String getAllergyStatus() {
		return allergyStatus;
	}

	public boolean isDeceased(Date asOf) {
		return getDead() && getDeathDate() != null && !getDeathDate().after(asOf);
	}
}

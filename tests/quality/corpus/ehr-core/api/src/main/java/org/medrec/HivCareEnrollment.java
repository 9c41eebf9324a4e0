package org.medrec;

import java.util.Date;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Table;

/** Enrollment of a patient in the HIV care and treatment program. */
@Entity
@Table(name = "hiv_care_enrollment")
public class HivCareEnrollment extends BaseOpenmrsData {

	@Column(name = "patient_id", nullable = false)
	private Integer patientId;

	@Column(name = "date_confirmed_hiv_positive")
	private Date dateConfirmedHivPositive;

	@Column(name = "art_start_date")
	private Date artStartDate;

	@Column(name = "who_stage")
	private Integer whoStage;

	@Column(name = "baseline_cd4_count")
	private Double baselineCd4Count;

	public Date getArtStartDate() {
		return artStartDate;
	}

	public void setArtStartDate(Date artStartDate) {
		this.artStartDate = artStartDate;
	}

	public Integer getWhoStage() {
		return whoStage;
	}
}

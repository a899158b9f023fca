"""The roles of Ripple, as auth groups (created, with their permissions, by
migration 0002). Later features give each role its pages."""

PATIENT = "Patient"
CLINICIAN = "Clinician"
CONTENT_EDITOR = "Content editor"
CLINICAL_REVIEWER = "Clinical reviewer"
ADMIN = "Admin"

ALL = [PATIENT, CLINICIAN, CONTENT_EDITOR, CLINICAL_REVIEWER, ADMIN]

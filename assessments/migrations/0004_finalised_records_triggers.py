"""PostgreSQL only: the database itself refuses to change or delete a finalised assessment
or the evidence of one, whatever issues the statement (raw SQL, a shell, a bug below the
ORM). See assessments/immutability.py for the other two layers.

- assessments_assessment: UPDATE or DELETE of a row whose OLD.status is 'finalised' is
  refused. The sign-off's UPDATE (OLD.status 'submitted', NEW.status 'finalised') is not.
- assessments_evidenceitem: INSERT, UPDATE or DELETE of a row whose assessment is finalised
  (before or after the change) is refused.
- Retention erasure (assessments/services/retention.py) sets the transaction-local
  `exocheck.allow_erasure` to 'on': DELETEs (never UPDATEs) then pass.

simple-history writes only to the historical tables, which these triggers do not touch.
TRUNCATE (the test runner's flush) fires no row triggers. On SQLite nothing is installed:
the model guard is the protection there.
"""

from django.db import migrations

INSTALL = r"""
CREATE OR REPLACE FUNCTION exocheck_erasure_allowed() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('exocheck.allow_erasure', true), '') = 'on'
$$;

CREATE OR REPLACE FUNCTION exocheck_refuse_finalised_assessment_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'finalised' THEN
        IF TG_OP = 'DELETE' AND exocheck_erasure_allowed() THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'assessment % is finalised: it cannot be changed or deleted', OLD.id
            USING HINT = 'A finalised record is corrected by a new version and removed only '
                         'by retention erasure.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION exocheck_refuse_finalised_evidence_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND exocheck_erasure_allowed() THEN
        RETURN OLD;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM assessments_assessment
        WHERE id = OLD.assessment_id AND status = 'finalised'
    ) THEN
        RAISE EXCEPTION 'evidence item % belongs to finalised assessment %: it cannot be '
                        'changed or deleted', OLD.id, OLD.assessment_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM assessments_assessment
        WHERE id = NEW.assessment_id AND status = 'finalised'
    ) THEN
        RAISE EXCEPTION 'assessment % is finalised: no evidence can be added to it',
                        NEW.assessment_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;

DROP TRIGGER IF EXISTS exocheck_finalised_assessment_is_immutable ON assessments_assessment;
CREATE TRIGGER exocheck_finalised_assessment_is_immutable
    BEFORE UPDATE OR DELETE ON assessments_assessment
    FOR EACH ROW EXECUTE FUNCTION exocheck_refuse_finalised_assessment_change();

DROP TRIGGER IF EXISTS exocheck_finalised_evidence_is_immutable ON assessments_evidenceitem;
CREATE TRIGGER exocheck_finalised_evidence_is_immutable
    BEFORE INSERT OR UPDATE OR DELETE ON assessments_evidenceitem
    FOR EACH ROW EXECUTE FUNCTION exocheck_refuse_finalised_evidence_change();
"""

REMOVE = r"""
DROP TRIGGER IF EXISTS exocheck_finalised_evidence_is_immutable ON assessments_evidenceitem;
DROP TRIGGER IF EXISTS exocheck_finalised_assessment_is_immutable ON assessments_assessment;
DROP FUNCTION IF EXISTS exocheck_refuse_finalised_evidence_change();
DROP FUNCTION IF EXISTS exocheck_refuse_finalised_assessment_change();
DROP FUNCTION IF EXISTS exocheck_erasure_allowed();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_bounded_free_text"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(INSTALL), _on_postgresql(REMOVE), elidable=False),
    ]

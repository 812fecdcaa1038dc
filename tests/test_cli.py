"""The command line: exit codes, one line per problem, no tracebacks."""

from __future__ import annotations

from click.testing import CliRunner
from conftest import REPO, SLUGS, write_country

from cti_briefings.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_list_shows_each_country_with_visit_dates_and_status(project_root):
    result = run("list")
    assert result.exit_code == 0, result.output
    assert "example        Republic of Examplia (fictional example): visit 16–18 February 2027; UNCAT: signatory" in result.output
    assert len(result.output.strip().splitlines()) >= 3


def test_check_validates_everything_and_writes_nothing(project_root):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"checked 7 templates against 18 generated cases and {len(SLUGS)} countries: content and templates are fine."
    assert not (project_root / "build").exists()


def test_build_without_a_country_is_a_usage_error(project_root):
    result = run("build")
    assert result.exit_code == 2
    assert "name at least one country, or use --all" in result.output


def test_unknown_option_is_a_usage_error(project_root):
    assert run("build", "--colour", "example").exit_code == 2


def test_unknown_country_exits_1_with_one_line_and_no_traceback(project_root):
    result = run("check", "atlantis")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("error: content/countries/atlantis.yaml: no country called 'atlantis' (known countries: ardenia, calvenne, example")
    assert lines[-1] == "1 problem found; nothing was built, earlier packs are unchanged."
    assert "Traceback" not in result.output


def test_content_errors_are_one_line_each(project_root):
    write_country(project_root, "broken", "name: [unclosed\nshort_name: Broken\n")
    result = run("build", "broken")
    assert result.exit_code == 1
    assert result.output.startswith("error: content/countries/broken.yaml:2: YAML syntax error:")
    assert "Traceback" not in result.output


def test_template_error_exits_1_naming_the_template(project_root):
    template = project_root / "templates" / "en" / "meeting_brief.docx"
    template.write_text("not a docx")
    result = run("check", "example")
    assert result.exit_code == 1
    assert "\nerror: templates/en/meeting_brief.docx: is not a readable Word document" in "\n" + result.output


def test_warnings_do_not_stop_the_check(project_root):
    text = (project_root / "content" / "countries" / "example.yaml").read_text(encoding="utf-8").replace("end: 2027-02-18", "end: 2027-02-20").replace("CTI/2027/004", "CTI/2027/904")
    write_country(project_root, "long", text)
    result = run("check", "long")
    assert result.exit_code == 0, result.output
    assert "warning: content/countries/long.yaml:" in result.output
    assert "the visit lasts 5 days" in result.output


def test_version(project_root):
    result = run("--version")
    assert result.exit_code == 0 and "cti-briefings" in result.output


def test_a_package_missing_from_the_environment_is_one_line_not_a_traceback():
    import subprocess
    import sys

    script = ("import sys; sys.modules['docxtpl'] = None; "
              f"sys.argv = ['cti-briefings', '--root', {str(REPO)!r}, 'check', 'example']; "
              "from cti_briefings.cli import main; main()")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert result.stderr == "error: the Python package 'docxtpl' is not installed in this environment (run `make setup`)\n"

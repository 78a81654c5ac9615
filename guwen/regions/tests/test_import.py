from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from guwen.core.errors import DomainError
from guwen.regions import services
from guwen.regions.models import Region
from guwen.testing import shared_dir

pytestmark = pytest.mark.django_db

BUNDLED = Path(services.__file__).resolve().parent / "data" / "nanwan.csv"


def test_bundled_nanwan_rows_import_and_are_idempotent():
    first = services.regions_import_file(path=BUNDLED, under="440307012000")
    assert first.created == 17
    second = services.regions_import_file(path=BUNDLED, under="440307012000")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 17)
    street = Region.objects.get(code="440307012000")
    assert street.children.count() == 14
    community = Region.objects.get(code="440307012002")
    assert community.name == "南龙社区"
    assert community.full_name == "南龙社区居委会"
    assert community.path == "440300000000/440307000000/440307012000/440307012002/"


def test_import_command_whole_city_from_shared_data(capsys):
    csv = shared_dir() / "divisions" / "shenzhen.csv"
    call_command("import_regions", str(csv))
    assert Region.objects.count() == 877
    assert Region.objects.filter(level="community").count() == 788
    longgang = Region.objects.get(code="440307000000")
    assert Region.objects.filter(path__startswith=longgang.path, level="street").count() == 14
    call_command("import_regions", str(csv))
    assert "新增 0" in capsys.readouterr().out


def test_import_one_district_brings_its_ancestors():
    csv = shared_dir() / "divisions" / "shenzhen.csv"
    result = services.regions_import_file(path=csv, under="440307000000")
    # 龙岗区 (with 大鹏新区's three streets, as the statistical codes have it): 14 streets, 144
    # communities, plus the district and the city above it.
    assert result.created == 1 + 1 + 14 + 144
    assert not Region.objects.filter(code="440303000000").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("code,name,level\n440300000000,深圳市,city\n", "缺少列"),
        ("code,name,level,parent_code\n4403000000,深圳市,city,440000000000\n", "第 2 行"),
        ("code,name,level,parent_code\n440300000000,深圳市,province,440000000000\n", "未知层级"),
    ],
)
def test_rejects_bad_division_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DomainError) as exc:
        services.regions_import_file(path=path)
    assert message in str(exc.value.message)
    assert Region.objects.count() == 0


def test_rejects_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("code,name,level,parent_code\n440300000000,深圳市,city,440000000000\n".encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_regions", str(path))


def test_rejects_unknown_under_code():
    with pytest.raises(CommandError, match="不在文件中"):
        call_command("import_regions", str(BUNDLED), "--under", "440399000000")

from sop_workflow.sop import CHAINS, ROLES, STEPS, Chain, Role, chain_for_kind, chain_steps


def test_long_chain_follows_the_sop_order():
    roles = [step.role for step in chain_steps(Chain.LONG)]
    assert roles == [
        Role.PENGELOLA,
        Role.WEB_ADMIN,
        Role.TEKMAS,
        Role.KABAG_HTH,
        Role.SEKRETARIS,
        Role.KOMISIONER,
        Role.WEB_ADMIN,
    ]
    assert CHAINS[Chain.LONG].workflow_name == "SOP Lengkap"


def test_short_chain_skips_sekretaris_and_komisioner():
    roles = [step.role for step in chain_steps(Chain.SHORT)]
    assert roles == [Role.PENGELOLA, Role.WEB_ADMIN, Role.TEKMAS, Role.KABAG_HTH, Role.WEB_ADMIN]
    assert CHAINS[Chain.SHORT].workflow_name == "SOP Ringkas"


def test_only_the_last_step_publishes_and_it_is_web_admin_unggah():
    for chain in Chain:
        steps = chain_steps(chain)
        assert [s.publishes for s in steps] == [False] * (len(steps) - 1) + [True]
        assert steps[-1].name == "Web Admin: unggah"


def test_time_standards_match_the_sop_table():
    assert {k: (s.sop_step, s.standard_minutes) for k, s in STEPS.items()} == {
        "terima": (2, 5),
        "validasi": (3, 5),
        "tekmas": (4, 30),
        "kabag": (5, 30),
        "sekretaris": (6, 30),
        "komisioner": (7, 30),
        "unggah": (11, 5),
    }


def test_kinds_take_their_chain_and_unnamed_pages_take_the_long_one():
    for kind in ("artikel", "pengumuman", "bahan-sosialisasi"):
        assert chain_for_kind(kind) is Chain.LONG
    for kind in ("berita", "liputan-kegiatan", "regulasi", "data", "dokumentasi"):
        assert chain_for_kind(kind) is Chain.SHORT
    assert chain_for_kind("profil") is Chain.LONG
    assert chain_for_kind(None) is Chain.LONG


def test_seven_roles_with_indonesian_group_names():
    assert len(ROLES) == 7
    assert ROLES[Role.KOMISIONER].group_name == "Komisioner KPU Jateng Divisi Sosdiklih dan Parmas"
    assert [r.demo_username for r in ROLES.values()] == [
        "pengampu",
        "pengelola",
        "webadmin",
        "tekmas",
        "kabaghth",
        "sekretaris",
        "komisioner",
    ]

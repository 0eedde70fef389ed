from peaceops.sources.missions import load_mission_start, load_pko_list


def test_pko_list_is_repaired(data_dir):
    tables = load_pko_list(data_dir)
    pko = tables["un_pko_list"].set_index("acronym")
    assert len(pko) == 81
    assert round(pko.loc["MINUSMA", "latitude"], 2) == 12.65
    assert round(pko.loc["MINUSMA", "longitude"], 2) == -8.0
    assert pko.loc["MINUSMA", "end"].isoformat() == "2023-12-31"
    assert not pko.loc["MINUSMA", "active"]
    assert not pko.loc["MINUSTAH", "active"]
    swapped = tables["data_issues"].query("action == 'swapped back'")["item"]
    assert sorted(swapped) == sorted(
        ["MINUSMA", "UNOSOM I", "UNOSOM II", "UNAVEM I", "UNAVEM II", "UNEF", "UNSCOB"]
    )
    # rows the README says are right stay as they are
    assert round(pko.loc["UNOSOM", "latitude"], 1) == 2.0
    assert pko["latitude"].dropna().between(-90, 90).all()


def test_mission_start_has_hosts_in_iso3(data_dir):
    start = load_mission_start(data_dir)["mission_start"].set_index("acronym")
    assert start.loc["MONUSCO", "host_iso3"] == "COD"
    assert start.loc["UNOCI", "host_iso3"] == "CIV"
    assert start.loc["UNAMA", "start_month"].isoformat() == "2002-03-01"

"""Judgements from the party detail panel, in headless Chromium against ``graphintel serve``."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.steps import BROWSER_MARKS, BrowserEvents, Server, click_node, open_chart, shot

pytestmark = BROWSER_MARKS


def test_not_the_same_same_as_and_withdraw_from_the_detail_panel(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    sample = sample_server.sample
    assert sample is not None
    open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    click_node(pg, sample.script_party)  # the party selected before
    click_node(pg, sample.main_shipper)
    detail = pg.locator("#gi-detail")
    expect(detail.locator(".gi-detail-label")).to_have_text("Shenzhen Huayu Trading Co., Ltd.")
    expect(detail.locator(".gi-judgements h4")).to_have_text("Judgements (0)")

    detail.locator(".gi-judge-different").first.click()
    status = pg.locator("#gi-judge-status")
    expect(status).to_contain_text("different HAWB00002#shipper")
    expect(pg.locator("#gi-judge-list .gi-judge-row")).to_have_count(1)

    detail.locator(".gi-judge-same").click()
    expect(status).to_contain_text(f"{sample.script_party} same {sample.main_shipper}")
    expect(pg.locator("#gi-judge-list .gi-judge-row")).to_have_count(2)
    shot(pg, "20_judgements_recorded")

    pg.locator("#gi-judge-list .gi-judge-withdraw").first.click()
    expect(status).to_contain_text("Withdrawn by")
    expect(pg.locator("#gi-judge-list .gi-judge-withdrawn")).to_have_count(1)
    shot(pg, "21_judgement_withdrawn")
    assert events.errors == [] and events.dialogs == []

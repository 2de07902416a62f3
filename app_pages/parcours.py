"""Sources et parcours: the sites, pages and campaigns that send visits, every page type with
its exit rate, and the pages where visits end."""

import streamlit as st

from app import charts, db, inert, labels, page, queries, tables
from app.filtering import describe
from app.fmt import fr_int, fr_pct

filters, ctx = page.start(labels.PAGE_JOURNEYS)
platform = filters.platform
st.caption(labels.JOURNEYS_INTRO)
subtitle = describe(filters, ctx)
if filters.has_catalogue_scope:
    subtitle = f"{subtitle} · {labels.SCOPE_VISITS_SUFFIX}"

# --- Headline figures: where the visits come from --------------------------------------------
channels = db.cached(queries.channel_summary, filters)
total = channels["visits"]
goals = db.cached(queries.goals_summary, filters)
any_goal = goals[goals["goal_code"].isna()]
figures = [*st.columns(2), *st.columns(2)]  # "204 431 (53,7 %)" is cut in a quarter
figures[0].metric(labels.METRIC_VISITS, fr_int(total))
figures[1].metric(
    labels.METRIC_VISITS_FROM_SITES,
    f"{fr_int(channels['from_sites'])} ({fr_pct(channels['from_sites_share'])})",
    help=labels.HELP_VISITS_FROM_SITES,
)
figures[2].metric(
    labels.METRIC_VISITS_FROM_CAMPAIGNS,
    f"{fr_int(channels['from_campaigns'])} ({fr_pct(channels['from_campaigns_share'])})",
    help=labels.HELP_VISITS_FROM_CAMPAIGNS,
)
figures[3].metric(
    labels.METRIC_CONVERSION_RATE,
    fr_pct(any_goal["conversion_rate"].iloc[0] if len(goals) > 1 else None),
    help=labels.HELP_CONVERSION_RATE,
)

if not total:
    page.no_visits_notice(filters)  # every section below counts these visits
    st.stop()

# --- Referring sites and pages -------------------------------------------------------------------
st.subheader(labels.SOURCES_HEADER)
hosts = db.cached(queries.referrer_hosts, filters)
if hosts.empty:
    st.info(labels.NO_REFERRERS)
else:
    st.markdown(f"**{labels.REFERRER_HOSTS_TITLE}**")
    tables.show_table(
        hosts,
        columns={
            "referrer_host": labels.COL_REFERRER_HOST,
            "channel": labels.COL_CHANNEL,
            "visits": labels.COL_VISITS,
            "share": labels.COL_SHARE_VISITS,
            "bounce_rate": labels.COL_BOUNCE_RATE,
        },
        int_columns=["visits"],
        pct_columns=["share", "bounce_rate"],
        key="referrer-hosts",
        title=labels.REFERRER_HOSTS_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.markdown(f"**{labels.REFERRER_URLS_TITLE}**")
    tables.show_table(
        db.cached(queries.referrer_urls, filters),
        columns={
            "referrer_url": labels.COL_REFERRER_URL,
            "channel": labels.COL_CHANNEL,
            "visits": labels.COL_VISITS,
            "share": labels.COL_SHARE_VISITS,
        },
        int_columns=["visits"],
        pct_columns=["share"],
        key="referrer-urls",
        title=labels.REFERRER_URLS_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.REFERRERS_NOTE}")

# --- Campaigns ---------------------------------------------------------------------------------
st.subheader(labels.CAMPAIGNS_HEADER)
campaigns = db.cached(queries.campaigns, filters)
if campaigns.empty:
    st.info(labels.NO_CAMPAIGNS)
else:
    tables.show_table(
        campaigns.fillna({c: labels.NOT_SET for c in ("utm_campaign", "utm_source", "utm_medium")}),
        columns={
            "utm_campaign": labels.COL_CAMPAIGN,
            "utm_source": labels.COL_CAMPAIGN_SOURCE,
            "utm_medium": labels.COL_CAMPAIGN_MEDIUM,
            "visits": labels.COL_VISITS,
            "share": labels.COL_SHARE_VISITS,
            "bounce_rate": labels.COL_BOUNCE_RATE,
            "pages_per_visit": labels.COL_PAGES_PER_VISIT,
        },
        int_columns=["visits"],
        pct_columns=["share", "bounce_rate"],
        decimal_columns=["pages_per_visit"],
        key="campaigns",
        title=labels.CAMPAIGNS_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.CAMPAIGNS_NOTE}")

# --- Every page type ---------------------------------------------------------------------------
st.subheader(labels.PAGE_TYPES_HEADER)
page_types = db.cached(queries.page_types, filters)
page_type_names = page.page_types_of(platform)
if page_types.empty:
    st.info(labels.NO_VISITS)
else:
    kinds = [page_type_names.get(t, labels.PAGE_TYPES["autre"]) for t in page_types["page_type"]]
    figure = charts.horizontal_bars(
        page_types.assign(kind=kinds),
        category_col="kind",
        value_col="pageviews",
        share_col="share",
        value_label=labels.COL_PAGEVIEWS,
        title=labels.PAGE_TYPES_TITLE,
        subtitle=subtitle,
        x_title=labels.X_PAGEVIEWS,
        y_title=labels.COL_PAGE_TYPE,
        color=charts.platform_palette(platform).main,
    )
    charts.show_for(figure, labels.PAGE_TYPES_TITLE, filters, key="page-types-chart")
    tables.show_table(
        page_types.assign(
            kind=[
                page_type_names.get(t, labels.PAGE_TYPES["autre"]) for t in page_types["page_type"]
            ]
        ),
        columns={
            "kind": labels.COL_PAGE_TYPE,
            "pageviews": labels.COL_PAGEVIEWS,
            "share": labels.COL_PAGEVIEWS_SHARE,
            "visits": labels.COL_VISITS,
            "entries": labels.COL_ENTRIES,
            "exits": labels.COL_EXITS,
            "exit_rate": labels.COL_EXIT_RATE,
        },
        int_columns=["pageviews", "visits", "entries", "exits"],
        pct_columns=["share", "exit_rate"],
        key="page-types",
        title=labels.PAGE_TYPES_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.PAGE_TYPES_NOTE}")

# --- Exit pages --------------------------------------------------------------------------------
st.subheader(labels.EXIT_PAGES_TITLE)
exits = db.cached(queries.exit_pages, filters)
if exits.empty:
    st.info(labels.NO_VISITS)
else:
    tables.show_table(
        exits.assign(
            label=[
                page.page_label(platform, t, e, n)
                for t, e, n in zip(exits["page_type"], exits["entity_id"], exits["name"])
            ],
            kind=[page_type_names.get(t, labels.PAGE_TYPES["autre"]) for t in exits["page_type"]],
        ),
        columns={
            "label": labels.COL_EXIT_PAGE,
            "kind": labels.COL_PAGE_TYPE,
            "exits": labels.COL_EXITS,
            "share": labels.COL_SHARE_VISITS,
            "exit_rate": labels.COL_EXIT_RATE,
        },
        int_columns=["exits"],
        pct_columns=["share", "exit_rate"],
        key="exit-pages",
        title=labels.EXIT_PAGES_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.EXIT_PAGES_NOTE}")

# --- Goals and conversions ---------------------------------------------------------------------
st.subheader(labels.GOALS_HEADER)
if len(goals) <= 1:  # the "any goal" row alone: no goal defined for the platform
    st.info(labels.NO_GOALS)
else:
    tables.show_table(
        goals.assign(label=goals["label"].fillna(labels.GOAL_ANY)),
        columns={
            "label": labels.COL_GOAL,
            "converted_visits": labels.COL_CONVERTED_VISITS,
            "conversion_rate": labels.COL_CONVERSION_RATE,
        },
        int_columns=["converted_visits"],
        pct_columns=["conversion_rate"],
        key="goals",
        title=labels.GOALS_TITLE,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.GOALS_NOTE}")
    breakdown_columns = {
        "visits": labels.COL_VISITS,
        "converted_visits": labels.COL_CONVERTED_VISITS,
        "conversion_rate": labels.COL_CONVERSION_RATE,
    }
    by_channel = db.cached(queries.goals_by_channel, filters)
    by_department = db.cached(queries.goals_by_catalogue, filters, "department")
    by_category = db.cached(queries.goals_by_catalogue, filters, "category")
    categories = ctx.categories.get(platform, {})
    for frame, name_col, name_label, title, key in (
        (by_channel, "channel", labels.COL_CHANNEL, labels.GOALS_BY_CHANNEL_TITLE, "goals-channel"),
        (
            by_department.assign(
                name=[page.department_text(ctx, code, None) for code in by_department["code"]]
            ),
            "name",
            labels.COL_DEPARTMENT,
            labels.GOALS_BY_DEPARTMENT_TITLE,
            "goals-department",
        ),
        (
            by_category.assign(name=[categories.get(c, c) for c in by_category["code"]]),
            "name",
            labels.COL_CATEGORY,
            labels.GOALS_BY_CATEGORY_TITLE,
            "goals-category",
        ),
    ):
        st.markdown(f"**{title}**")
        if frame.empty:
            st.info(labels.NO_VISITS)
            continue
        tables.show_table(
            frame,
            columns={name_col: name_label, **breakdown_columns},
            int_columns=["visits", "converted_visits"],
            pct_columns=["conversion_rate"],
            key=key,
            title=title,
            subtitle=subtitle,
            filters=filters,
        )
    st.caption(f"{inert.markdown(subtitle, limit=None)}. {labels.GOALS_BREAKDOWN_NOTE}")

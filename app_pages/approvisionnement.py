"""Approvisionnement local: which of the food platform's producers could supply the region's
canteens. Canteens, meals and declared EGalim shares per territory (department, EPCI or
territorial food project), producers within N km per *ma cantine* product family with the
gaps, and the producers that could supply a chosen group of canteens (issue #31)."""

import pandas as pd
import streamlit as st

from app import charts, db, inert, labels, page, queries, tables
from app.filtering import describe
from app.filters import page_control
from app.fmt import fr_date, fr_int, fr_pct

filters, ctx = page.start(labels.PAGE_SOURCING)
platform = queries.SOURCING_PLATFORM
if filters.platform != platform:
    st.info(labels.SOURCING_FOOD_ONLY.format(platform=labels.PLATFORM_NAMES[platform]))
subtitle = describe(filters, ctx, platform=False)
end = fr_date(filters.end)

controls = st.columns([1.6, 1, 2])
level = controls[0].radio(
    labels.SOURCING_LEVEL_LABEL,
    list(queries.SOURCING_LEVELS),
    format_func=labels.SOURCING_LEVELS.get,
    horizontal=True,
    **page_control("level", default=queries.SOURCING_LEVELS[0]),
)
radius = int(
    controls[1].number_input(
        labels.SOURCING_RADIUS_LABEL,
        min_value=queries.RADIUS_KM_RANGE[0],
        max_value=queries.RADIUS_KM_RANGE[1],
        step=5,
        help=labels.SOURCING_RADIUS_HELP,
        **page_control("radius", default=queries.DEFAULT_RADIUS_KM),
    )
)

territories = db.cached(queries.canteen_territories, filters, level)
area = territories[territories["territory_code"].isna()].iloc[0]
rows = territories.dropna(subset=["territory_code"]).reset_index(drop=True)
year = None if pd.isna(area["campaign_year"]) else int(area["campaign_year"])
organic_target, quality_target = queries.EGALIM_ORGANIC_TARGET, queries.EGALIM_QUALITY_TARGET

# --- Headline --------------------------------------------------------------------------------
metrics = st.columns(5)
metrics[0].metric(labels.METRIC_CANTEENS, fr_int(area["canteens"]))
metrics[1].metric(
    labels.METRIC_MEALS_PER_YEAR,
    fr_int(area["meals_per_year"]),
    help=labels.HELP_MEALS_PER_YEAR.format(n=fr_int(area["canteens_without_meals"])),
)
metrics[2].metric(
    labels.METRIC_DECLARED_CANTEENS.format(year=year or "—"),
    fr_int(area["declared_canteens"]),
    help=labels.HELP_DECLARED_CANTEENS,
)
metrics[3].metric(
    labels.METRIC_ORGANIC_SHARE,
    fr_pct(area["organic_share"]),
    help=labels.HELP_DECLARED_SHARE.format(target=fr_pct(organic_target, 0)),
)
metrics[4].metric(
    labels.METRIC_QUALITY_SHARE,
    fr_pct(area["quality_share"]),
    help=labels.HELP_DECLARED_SHARE.format(target=fr_pct(quality_target, 0)),
)
if int(area["canteens"]) == 0:
    # Nothing below can be drawn: say whether the register is missing or the filter empty.
    st.info(
        labels.SOURCING_NO_CANTEENS_LOADED
        if int(area["canteens_loaded"]) == 0
        else labels.SOURCING_NO_CANTEENS_HERE
    )
    st.stop()
st.caption(
    labels.SOURCING_TARGETS_NOTE.format(
        quality=fr_pct(quality_target, 0),
        organic=fr_pct(organic_target, 0),
        year=year or "—",
    )
)

# --- Per territory ---------------------------------------------------------------------------
st.subheader(labels.SOURCING_TERRITORIES_TITLE[level])
if rows.empty:
    st.info(labels.SOURCING_NO_TERRITORY[level])
else:
    below = (rows["quality_share"] < quality_target) | (rows["organic_share"] < organic_target)
    tables.show_table(
        rows,
        columns={
            "territory_name": labels.SOURCING_LEVELS[level],
            "canteens": labels.COL_CANTEENS,
            "meals_per_year": labels.COL_MEALS_PER_YEAR,
            "declared_canteens": labels.COL_DECLARED_CANTEENS,
            "organic_share": labels.COL_ORGANIC_SHARE,
            "quality_share": labels.COL_QUALITY_SHARE,
            "canteens_organic_target": labels.COL_CANTEENS_ORGANIC_TARGET.format(
                target=fr_pct(organic_target, 0)
            ),
            "canteens_quality_target": labels.COL_CANTEENS_QUALITY_TARGET.format(
                target=fr_pct(quality_target, 0)
            ),
        },
        int_columns=[
            "canteens",
            "meals_per_year",
            "declared_canteens",
            "canteens_organic_target",
            "canteens_quality_target",
        ],
        pct_columns=["organic_share", "quality_share"],
        highlight_rows=below.fillna(False),
        widths={"territory_name": 300},
        key="sourcing-territories",
        title=labels.SOURCING_TERRITORIES_TITLE[level],
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(labels.SOURCING_TERRITORIES_NOTE)

# --- Supply per family -----------------------------------------------------------------------
families = db.cached(queries.sourcing_families, filters, level, radius)
family_rows = families.dropna(subset=["territory_code"])
# A family no category of the platform belongs to would be a gap everywhere: said once.
unmapped = list(dict.fromkeys(family_rows.loc[~family_rows["has_category"], "family"]))
family_rows = family_rows[family_rows["has_category"]]
names = dict(zip(rows["territory_code"], rows["territory_name"]))
family_rows = family_rows.assign(territory=[names.get(c, c) for c in family_rows["territory_code"]])
title = labels.SOURCING_FAMILIES_TITLE.format(km=fr_int(radius))
st.subheader(title)
if family_rows.empty:
    st.info(labels.SOURCING_NO_FAMILY)
else:
    figure = charts.heatmap(
        family_rows,
        x_col="family",
        y_col="territory",
        z_col="producers_nearby",
        title=title,
        subtitle=subtitle,
        x_title=labels.X_FAMILY,
        y_title=labels.SOURCING_LEVELS[level],
        colorbar_title=labels.COLORBAR_PRODUCERS_NEARBY,
        scale=charts.platform_palette(platform).scale,
        z_label=labels.COLORBAR_PRODUCERS_NEARBY.replace("<br>", " "),
        x_order=list(dict.fromkeys(family_rows["family"])),
        y_order=list(dict.fromkeys(family_rows["territory"])),
        highlight_col="is_gap",
    )
    charts.show_for(figure, title, filters, key="sourcing-families")
    gaps = family_rows[family_rows["is_gap"]]
    note = labels.SOURCING_FAMILIES_NOTE.format(km=fr_int(radius), date=end)
    note += " " + labels.SOURCING_GAPS_COUNT.format(
        n=fr_int(len(gaps)), total=fr_int(len(family_rows))
    )
    if unmapped:
        note += " " + labels.SOURCING_UNMAPPED_FAMILIES.format(families=", ".join(unmapped))
    st.caption(note)
    if len(gaps):
        with st.expander(labels.SOURCING_GAPS_TITLE.format(n=fr_int(len(gaps)))):
            tables.show_table(
                gaps,
                columns={
                    "territory": labels.SOURCING_LEVELS[level],
                    "family": labels.COL_FAMILY,
                    "canteens": labels.COL_CANTEENS,
                    "producers_in_department": labels.COL_PRODUCERS_IN_DEPARTMENT,
                },
                int_columns=["canteens", "producers_in_department"],
                key="sourcing-gaps",
                title=labels.SOURCING_GAPS_TITLE.format(n=fr_int(len(gaps))),
                subtitle=subtitle,
                filters=filters,
            )

# --- Who could supply a group of canteens ----------------------------------------------------
st.subheader(labels.SOURCING_CANDIDATES_TITLE)
choices = ["", *rows["territory_code"]]
shown = {"": labels.SOURCING_WHOLE_AREA, **names}
chosen = st.selectbox(
    labels.SOURCING_GROUP_LABELS[level],
    choices,
    format_func=lambda code: shown.get(code, code),
    **page_control("territory", default=""),
)
if chosen not in shown:  # a territory of another level, from an older address
    chosen = ""
candidates = db.cached(queries.sourcing_candidates, filters, level, radius, chosen or None)
group = shown[chosen]
# A territory's name as its publisher typed it: inert in the Markdown of notes and notices.
group_text = inert.markdown(group)
if candidates.empty:
    st.info(labels.SOURCING_NO_CANDIDATE.format(km=fr_int(radius), group=group_text))
else:
    family_labels = dict(zip(families["family_code"], families["family"]))
    candidates = candidates.assign(
        kind=queries.labelled(candidates["kind_code"], labels.SUPPLIER_KIND_LABELS),
        place=[
            f"{commune} ({code})"
            for commune, code in zip(candidates["commune"], candidates["department_code"])
        ],
        families=[
            ", ".join(family_labels.get(code, code) for code in codes)
            for codes in candidates["family_codes"]
        ],
    )
    tables.show_table(
        candidates,
        columns={
            "name": labels.COL_NAME,
            "place": labels.COL_PLACE,
            "nearest_km": labels.COL_NEAREST_KM,
            "canteens_within": labels.COL_CANTEENS_WITHIN.format(km=fr_int(radius)),
            "meals_within": labels.COL_MEALS_WITHIN,
            "families": labels.COL_FAMILIES,
            "kind": labels.COL_KIND,
        },
        int_columns=["canteens_within", "meals_within"],
        decimal_columns=["nearest_km"],
        widths={"name": 190, "place": 170, "families": 260, "kind": 100},
        key="sourcing-candidates",
        title=f"{labels.SOURCING_CANDIDATES_TITLE} — {group}",
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(
        labels.SOURCING_CANDIDATES_NOTE.format(
            n=fr_int(len(candidates)), km=fr_int(radius), group=group_text, date=end
        )
    )

# --- Organic producers to recruit (Agence BIO's list) -----------------------------------------
st.subheader(labels.SOURCING_RECRUITS_TITLE)
recruit_counts = db.cached(queries.organic_recruit_counts, filters)
recruits_total = recruit_counts[recruit_counts["is_total"]].iloc[0]
if int(recruits_total["operators_loaded"]) == 0:
    st.info(labels.SOURCING_RECRUITS_NO_FILE)
elif int(recruits_total["recruits"]) == 0:
    st.info(labels.SOURCING_RECRUITS_NONE)
else:
    counts = recruit_counts[~recruit_counts["is_total"]].assign(
        family_key=lambda f: f["family_code"].fillna("_none"),
        family=lambda f: f["family"].fillna(labels.SOURCING_RECRUITS_NO_FAMILY),
        department=lambda f: [
            f"{name} ({code})" if isinstance(name, str) else code
            for name, code in zip(f["department_name"], f["department_code"])
        ],
    )
    # One row per department (code order), one column per family (ma cantine's order, then
    # the producers of no known family).
    grid = counts.pivot_table(
        index=["department_code", "department"],
        columns="family_key",
        values="recruits",
        aggfunc="sum",
        fill_value=0,
    ).reset_index()
    ordered = counts.sort_values("family_position", na_position="last")
    family_columns = dict(zip(ordered["family_key"], ordered["family"]))
    title = labels.SOURCING_RECRUITS_COUNTS_TITLE
    tables.show_table(
        grid,
        columns={"department": labels.COL_DEPARTMENT, **family_columns},
        int_columns=list(family_columns),
        widths={"department": 200},
        key="sourcing-recruit-counts",
        title=title,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(labels.SOURCING_RECRUITS_COUNTS_NOTE.format(n=fr_int(recruits_total["recruits"])))

    recruits = db.cached(queries.organic_recruits, filters, level, chosen or None)
    family_names = dict(zip(families["family_code"], families["family"]))
    recruits = recruits.assign(
        place=[
            f"{commune} ({code})" if isinstance(commune, str) else code
            for commune, code in zip(recruits["commune"], recruits["department_code"])
        ],
        families=[
            ", ".join(family_names.get(code, code) for code in codes)
            or labels.SOURCING_RECRUITS_NO_FAMILY
            for codes in recruits["family_codes"]
        ],
    )
    title = f"{labels.SOURCING_RECRUITS_LIST_TITLE} — {group}"
    tables.show_table(
        recruits,
        columns={
            "name": labels.COL_NAME,
            "place": labels.COL_PLACE,
            "families": labels.COL_FAMILIES,
            "nearest_km": labels.COL_NEAREST_KM,
            "siret": labels.COL_SIRET,
            "organic_id": labels.COL_ORGANIC_ID,
        },
        decimal_columns=["nearest_km"],
        widths={"name": 220, "place": 170, "families": 260},
        key="sourcing-recruits",
        title=title,
        subtitle=subtitle,
        filters=filters,
    )
    st.caption(labels.SOURCING_RECRUITS_LIST_NOTE.format(n=fr_int(len(recruits)), group=group_text))

"""Named queries of the dashboard: one function per figure, SQL in `app/sql/<name>.sql`.

Does not import Streamlit, so it can be tested and reused from a notebook or a CLI. Each
function takes a DuckDB connection (or cursor) and a `Filters`, runs one named SQL file on a
fresh cursor with every user value bound as a parameter (`$name`), and returns a small
pandas DataFrame (aggregation happens in DuckDB).

A package of modules by subject; every name is re-exported here, so callers write
`queries.visits_summary(...)` whatever module holds it.
"""

from app.queries.catalogue import (  # noqa: F401
    SUPPLIER_SORTS,
    _with_kind_labels,
    catalogue_churn,
    catalogue_summary,
    catalogue_timeseries,
    coverage_grid,
    coverage_rate,
    department_suppliers,
    equipment_by_category,
    equipment_by_month,
    equipment_capacity_by_department,
    equipment_conversion,
    equipment_sectors,
    equipment_summary,
    later_categories,
    like_pattern,
    listing_snapshots_summary,
    listings_concentration,
    listings_histogram,
    supplier_listings,
    supplier_points,
    supplier_views,
    suppliers_without_views,
    top_suppliers,
)
from app.queries.engine import (  # noqa: F401
    _SQL_NAME,
    CHECKS_DIR,
    INCLUDE_DIR,
    SQL_DIR,
    TOP_LIMIT,
    _expand_includes,
    _first_row,
    _scalar,
    _to_date,
    _to_datetime,
    check_names,
    labelled,
    load_check,
    load_sql,
    run,
    sql_text,
)
from app.queries.measures import (  # noqa: F401
    _weekly_visits,
    catalogue_health,
    scorecard_measures,
)
from app.queries.quality import (  # noqa: F401
    CHECK_SAMPLE_LIMIT,
    REJECTED_SAMPLE_LIMIT,
    data_check,
    data_checks,
    hits_excluded,
    hits_summary,
    load_summary,
    rejected_by_reason,
    rejected_rows_total,
    rejected_sample,
)
from app.queries.reference import (  # noqa: F401
    REQUIRED_COLUMNS,
    REQUIRED_MACROS,
    annotations,
    filter_context,
    key_dates,
    load_info,
    missing_tables,
    platform_sources,
    published_generation,
)
from app.queries.sourcing import (  # noqa: F401
    DEFAULT_RADIUS_KM,
    EGALIM_ORGANIC_TARGET,
    EGALIM_QUALITY_TARGET,
    RADIUS_KM_RANGE,
    SOURCING_LEVELS,
    SOURCING_PLATFORM,
    canteen_territories,
    sourcing_candidates,
    sourcing_families,
)
from app.queries.visits import (  # noqa: F401
    BREAKDOWNS,
    GRAINS,
    campaigns,
    category_demand,
    channel_summary,
    entry_pages,
    exit_pages,
    geo_sources,
    goals_by_catalogue,
    goals_by_channel,
    goals_summary,
    page_types,
    referrer_hosts,
    referrer_urls,
    search_totals,
    site_searches,
    split_demand,
    split_searches,
    top_products,
    visits_breakdowns,
    visits_by_browser,
    visits_by_channel,
    visits_by_channel_codes,
    visits_by_country,
    visits_by_department,
    visits_by_device,
    visits_by_origin,
    visits_by_os,
    visits_comparison,
    visits_comparison_series,
    visits_summary,
    visits_timeseries,
    visits_weekday_hour,
)

-- Demand against supply per category over the period.
-- Demand: page views of the category page, page views of the product pages of its listings,
-- and site searches pointing to it (searches answered that day by at least one of its active
-- listings, matching rule in include/search_matches.sql; a search answered in several
-- categories counts in each). Supply: listings active on $end, and on average over the
-- period's days (listing-days / days). The department and kind filters apply to product
-- pages and listings (the supplier's department and kind); category pages and searches cannot
-- be attributed to a department or a supplier, so they are NULL when departments or kinds
-- are chosen.
WITH
-- include: listed_categories
,
-- The categories come from `cats`: listings of every category, in the chosen departments and kinds.
listing_scope AS (
    SELECT l.listing_id, l.category_code, l.created_on, l.withdrawn_on, l.is_active,
           l.supplier_joined_on, l.supplier_left_on
    FROM scoped_listings($platform, $departments, $kinds, []) AS l
),
category_views AS (
    SELECT c.category_code, sum(v.pageviews) AS n
    FROM entity_views_daily AS v
    JOIN categories AS c ON c.platform = v.platform AND c.slug = v.entity_id
    WHERE v.platform = $platform AND v.page_type = 'categorie'
      AND v.day BETWEEN $start AND $end
    GROUP BY 1
),
product_views AS (
    SELECT l.category_code, sum(v.pageviews) AS n
    FROM entity_views_daily AS v
    JOIN listing_scope AS l ON l.listing_id = v.entity_id
    WHERE v.platform = $platform AND v.page_type = 'produit'
      AND v.day BETWEEN $start AND $end
    GROUP BY 1
),
search_days AS (
    -- One row per visit, day and terms (etl/sql/47_visit_searches.sql): count(*) is visits.
    SELECT s.terms, s.day, sum(s.searches) AS searches, count(*) AS visits
    FROM visit_searches AS s
    WHERE s.platform = $platform AND s.day BETWEEN $start AND $end
    GROUP BY ALL
),
-- include: search_matches
,
category_searches AS (
    -- A (search, day) counts once for each category having a listing answering it on offer
    -- that day: the runs of a search and category are disjoint, at most one holds the day.
    SELECT r.category_code, sum(sd.searches) AS n
    FROM search_days AS sd
    JOIN term_offer_runs AS r
      ON r.terms = sd.terms
     AND r.by_category = 1
     AND sd.day >= r.first_day
     AND sd.day < r.end_day
    GROUP BY r.category_code
),
supply AS (
    SELECT
        category_code,
        count(*) FILTER (WHERE listing_on_offer(created_on, withdrawn_on, is_active,
                                                supplier_joined_on, supplier_left_on, $end))
                                                                       AS active_listings,
        -- Days of the period each listing was on offer: its span on offer (the rule of
        -- active_listings_on as days) cut to the period; none when they do not overlap.
        sum(CASE WHEN period_first < period_end
                 THEN datediff('day', period_first, period_end) ELSE 0 END)   AS listing_days
    FROM (
        SELECT
            *,
            greatest(listing_offer_start(created_on, supplier_joined_on), $start::DATE)
                                                                       AS period_first,
            least(listing_offer_end(withdrawn_on, is_active, supplier_left_on), $end::DATE + 1)
                                                                       AS period_end
        FROM listing_scope
    )
    GROUP BY category_code
)
SELECT
    c.category_code,
    c.category,
    c.is_unclassified,
    CASE WHEN NOT has_supplier_scope($departments, $kinds) THEN coalesce(cv.n, 0) END
                                                                         AS category_pageviews,
    coalesce(pv.n, 0)                                                    AS product_pageviews,
    coalesce(pv.n, 0)
    + CASE WHEN NOT has_supplier_scope($departments, $kinds) THEN coalesce(cv.n, 0) ELSE 0 END
                                                                         AS total_pageviews,
    CASE WHEN NOT has_supplier_scope($departments, $kinds) THEN coalesce(cs.n, 0) END
                                                                         AS searches,
    coalesce(su.active_listings, 0)                                      AS active_listings,
    coalesce(su.listing_days, 0) / (datediff('day', $start::DATE, $end::DATE) + 1)
                                                                         AS avg_active_listings,
    (coalesce(pv.n, 0)
     + CASE WHEN NOT has_supplier_scope($departments, $kinds) THEN coalesce(cv.n, 0) ELSE 0 END)
        / nullif(coalesce(su.listing_days, 0) / (datediff('day', $start::DATE, $end::DATE) + 1), 0)
                                                                         AS pageviews_per_listing
FROM cats AS c
LEFT JOIN category_views AS cv USING (category_code)
LEFT JOIN product_views AS pv USING (category_code)
LEFT JOIN category_searches AS cs USING (category_code)
LEFT JOIN supply AS su USING (category_code)
ORDER BY c.is_unclassified, fr_sort_key(c.category)

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
scoped_listings AS (
    SELECT l.listing_id, l.category, l.created_on, l.withdrawn_on, l.is_active
    FROM listings AS l
    JOIN suppliers AS s ON s.platform = l.platform AND s.supplier_id = l.supplier_id
    WHERE l.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
),
category_views AS (
    SELECT c.category, sum(v.pageviews) AS n
    FROM entity_views_daily AS v
    JOIN categories AS c ON c.platform = v.platform AND c.slug = v.entity_id
    WHERE v.platform = $platform AND v.page_type = 'categorie'
      AND v.day BETWEEN $start AND $end
    GROUP BY 1
),
product_views AS (
    SELECT l.category, sum(v.pageviews) AS n
    FROM entity_views_daily AS v
    JOIN scoped_listings AS l ON l.listing_id = v.entity_id
    WHERE v.platform = $platform AND v.page_type = 'produit'
      AND v.day BETWEEN $start AND $end
    GROUP BY 1
),
search_views AS (
    SELECT p.ts, p.visit_id, p.search_terms
    FROM pageviews AS p
    WHERE p.platform = $platform AND p.page_type = 'recherche'
      AND p.ts >= $start AND p.ts < $end + INTERVAL 1 DAY
),
-- include: search_matches
,
category_searches AS (
    -- A (search, day) counts once for each category having an active listing answering it.
    SELECT category, sum(searches) AS n
    FROM (
        SELECT DISTINCT sd.terms, sd.day, sd.searches, tl.category
        FROM search_days AS sd
        JOIN term_listings AS tl
          ON tl.terms = sd.terms
         AND tl.created_on <= sd.day
         AND (tl.withdrawn_on > sd.day OR (tl.withdrawn_on IS NULL AND tl.is_active))
    )
    GROUP BY category
),
supply AS (
    SELECT
        category,
        count(*) FILTER (WHERE created_on <= $end
                           AND (withdrawn_on > $end OR (withdrawn_on IS NULL AND is_active)))
                                                                       AS active_listings,
        -- Days of the period each listing was active: from max(created_on, start) to the day
        -- before its withdrawal (or the period's end); never for an undated inactive listing.
        sum(greatest(0, datediff('day',
                greatest(created_on, $start::DATE),
                least(CASE WHEN withdrawn_on IS NOT NULL THEN withdrawn_on
                           WHEN is_active THEN $end::DATE + 1
                           ELSE created_on END,
                      $end::DATE + 1))))                               AS listing_days
    FROM scoped_listings
    GROUP BY category
)
SELECT
    c.category,
    c.is_unclassified,
    CASE WHEN len($departments) = 0 AND len($kinds) = 0 THEN coalesce(cv.n, 0) END
                                                                         AS category_pageviews,
    coalesce(pv.n, 0)                                                    AS product_pageviews,
    CASE WHEN len($departments) = 0 AND len($kinds) = 0 THEN coalesce(cs.n, 0) END
                                                                         AS searches,
    coalesce(su.active_listings, 0)                                      AS active_listings,
    coalesce(su.listing_days, 0) / (datediff('day', $start::DATE, $end::DATE) + 1)
                                                                         AS avg_active_listings,
    (coalesce(pv.n, 0)
     + CASE WHEN len($departments) = 0 AND len($kinds) = 0 THEN coalesce(cv.n, 0) ELSE 0 END)
        / nullif(coalesce(su.listing_days, 0) / (datediff('day', $start::DATE, $end::DATE) + 1), 0)
                                                                         AS pageviews_per_listing
FROM cats AS c
LEFT JOIN category_views AS cv USING (category)
LEFT JOIN product_views AS pv USING (category)
LEFT JOIN category_searches AS cs USING (category)
LEFT JOIN supply AS su USING (category)
ORDER BY c.is_unclassified, lower(strip_accents(replace(replace(c.category, 'Œ', 'Oe'), 'œ', 'oe')))

-- Site searches of the period made during the visits under the catalogue filters
-- (include/visit_scope.sql), per normalised terms: how many, in how many visits, how many
-- found no listing active that day (include/search_matches.sql), and how many listings
-- answer them on the period's last day. All terms (a few hundred at most), most searched first.
WITH
-- include: visit_scope
,
search_days AS (
    SELECT
        s.terms,
        s.day,
        sum(s.searches)               AS searches,
        -- One row per visit, day and terms (etl/sql/47_visit_searches.sql): the rows are
        -- the visits, no DISTINCT needed (a hash of every visit id at scale 10).
        count(*)                      AS visits
    FROM visit_searches AS s
    WHERE s.platform = $platform
      AND s.day >= $start
      AND s.day <= $end
      AND (NOT has_catalogue_scope($departments, $categories, $kinds)
           OR s.visit_key IN (SELECT visit_key FROM scope_visit_keys))
    GROUP BY ALL
),
-- include: search_matches
,
results_on_end AS (
    SELECT terms, count(*) AS results_on_end
    FROM term_listings
    WHERE listing_on_offer(
        created_on, withdrawn_on, is_active, supplier_joined_on, supplier_left_on, $end
    )
    GROUP BY terms
)
SELECT
    sr.terms,
    sum(sr.searches)                                       AS searches,
    sum(sr.visits)                                         AS visits,
    coalesce(sum(sr.searches) FILTER (WHERE NOT sr.answered), 0) AS searches_without_result,
    coalesce(sum(sr.searches) FILTER (WHERE NOT sr.answered), 0) / sum(sr.searches)
                                                           AS share_without_result,
    coalesce(any_value(r.results_on_end), 0)               AS results_on_end
FROM search_results AS sr
LEFT JOIN results_on_end AS r USING (terms)
GROUP BY sr.terms
ORDER BY searches DESC, sr.terms ASC

-- Most viewed producer (or company) pages over the period: page views and visits of each
-- supplier's own page, with its name, kind, commune and department. Department and kind
-- filters: the supplier's; category filter: suppliers having a listing in one of the
-- categories. The $limit first.
WITH views AS (
    SELECT v.entity_id AS supplier_id, sum(v.pageviews) AS pageviews, sum(v.visits) AS visits
    FROM entity_views_daily AS v
    WHERE v.platform = $platform
      AND v.page_type = 'fournisseur'
      AND v.day BETWEEN $start AND $end
    GROUP BY 1
)
SELECT
    s.supplier_id,
    s.name,
    s.kind,
    s.kind_code,
    s.commune,
    s.department_code,
    s.department_name,
    v.pageviews,
    v.visits
FROM views AS v
JOIN scoped_suppliers($platform, $departments, $kinds, $categories) AS s USING (supplier_id)
ORDER BY v.pageviews DESC, s.name ASC, s.supplier_id ASC
LIMIT $limit

-- Fragment (included by `-- include: search_matches`): which listings answer which site
-- searches. The including query defines first `search_days(terms, day, searches, visits)`,
-- the searches it wants to count per normalised terms and Paris day, from `visit_searches`
-- (the load normalises the terms with `match_text`).
--
-- Matching rule (documented in docs/dashboard.md): titles, category labels and — for
-- equipment — standards are normalised like the searches (match_text, etl/sql/01_vocabulary.sql:
-- lower case, ligatures spelled out, accents stripped, punctuation as single spaces) and cut
-- into words; simple French plurals
-- are folded on both sides (-aux → -al, final -s or -x dropped on words of 4 letters or more);
-- the search's small link words (de, la, à …) are ignored. A listing answers a search when
-- every remaining word of the search is a word of the listing's text. A search answered by
-- no listing on offer on the day it was made is a search "sans résultat": on offer as in
-- `active_listings_on` (etl/sql/92_scopes.sql), the listing active and its supplier still on
-- the platform that day; `listing_on_offer` below is that rule, row by row.
search_words AS (
    SELECT
        terms,
        list_transform(
            list_filter(string_split(terms, ' '), LAMBDA w:
                NOT list_contains(['a', 'au', 'aux', 'd', 'de', 'des', 'du', 'en', 'et', 'l',
                                   'la', 'le', 'les', 'un', 'une', 'pour', 'avec', 'sans',
                                   'sur', 'par', 'ou'], w)),
            LAMBDA w:
                CASE WHEN length(w) > 4 AND suffix(w, 'aux') THEN left(w, -3) || 'al'
                     WHEN length(w) >= 4 AND (suffix(w, 's') OR suffix(w, 'x')) THEN left(w, -1)
                     ELSE w END) AS words
    FROM (SELECT DISTINCT terms FROM search_days)
),
listing_words AS (
    SELECT
        l.listing_id,
        l.category_code,
        l.created_on,
        l.withdrawn_on,
        l.is_active,
        l.supplier_joined_on,
        l.supplier_left_on,
        list_transform(
            string_split(match_text(concat_ws(' ', l.title, l.category, l.standard)), ' '),
            -- `w` is the lambda's parameter, not a column
            -- noqa: disable=RF03
            LAMBDA w:
                CASE WHEN length(w) > 4 AND suffix(w, 'aux') THEN left(w, -3) || 'al'
                     WHEN length(w) >= 4 AND (suffix(w, 's') OR suffix(w, 'x')) THEN left(w, -1)
                     ELSE w END) AS words
    -- noqa: enable=RF03
    FROM scoped_listings($platform, [], [], []) AS l
),
-- "Every word of the search is a word of the listing" as a join on words: the listings
-- sharing as many distinct words with the search as it has (a comparison of every search
-- with every listing took most of the figure's time at scale 10).
search_word_rows AS (
    SELECT terms, len(list_distinct(words)) AS word_count, unnest(list_distinct(words)) AS word
    FROM search_words
),
listing_word_rows AS (
    SELECT listing_id, unnest(list_distinct(words)) AS word
    FROM listing_words
),
term_listings AS (
    SELECT
        m.terms,
        lw.listing_id,
        lw.category_code,
        lw.created_on,
        lw.withdrawn_on,
        lw.is_active,
        lw.supplier_joined_on,
        lw.supplier_left_on
    FROM (
        SELECT sw.terms, lwr.listing_id
        FROM search_word_rows AS sw
        JOIN listing_word_rows AS lwr ON lwr.word = sw.word
        GROUP BY sw.terms, lwr.listing_id, sw.word_count
        HAVING count(*) = sw.word_count
    ) AS m
    JOIN listing_words AS lw ON lw.listing_id = m.listing_id
),
-- The spans of days when at least one listing answering the search was on offer, for the
-- search (`by_category` 0, `category_code` NULL) and for each category of its listings
-- (`by_category` 1): each listing's span (listing_offer_start/end, the rule
-- `listing_on_offer` as days), merged where they overlap or touch into disjoint runs. Testing
-- each listing on each day of each search instead made 5.5 million pairs at scale 10, most of
-- the site searches' time.
term_spans AS (
    SELECT
        tl.terms,
        k.by_category,
        CASE WHEN k.by_category = 1 THEN tl.category_code END            AS category_code,
        listing_offer_start(tl.created_on, tl.supplier_joined_on)         AS first_day,
        listing_offer_end(tl.withdrawn_on, tl.is_active, tl.supplier_left_on) AS end_day
    FROM term_listings AS tl
    CROSS JOIN (VALUES (0), (1)) AS k (by_category)
),
term_span_starts AS (
    -- A span starts a new run when it begins after every earlier span of its key ended.
    SELECT
        terms,
        by_category,
        category_code,
        first_day,
        end_day,
        CASE WHEN first_day <= max(end_day) OVER (
                 PARTITION BY terms, by_category, category_code ORDER BY first_day, end_day
                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
             THEN 0 ELSE 1 END                                          AS starts_run
    FROM term_spans
    WHERE first_day < end_day
),
term_offer_runs AS (
    SELECT terms, by_category, category_code, min(first_day) AS first_day, max(end_day) AS end_day
    FROM (
        SELECT
            *,
            sum(starts_run) OVER (
                PARTITION BY terms, by_category, category_code ORDER BY first_day, end_day
                ROWS UNBOUNDED PRECEDING
            ) AS run
        FROM term_span_starts
    )
    GROUP BY terms, by_category, category_code, run
),
search_results AS (
    -- Each (search, day), and whether a listing answering it was on offer that day (the runs
    -- of a search are disjoint: at most one holds the day).
    SELECT
        sd.terms,
        sd.day,
        sd.searches,
        sd.visits,
        r.terms IS NOT NULL AS answered
    FROM search_days AS sd
    LEFT JOIN term_offer_runs AS r
           ON r.terms = sd.terms
          AND r.by_category = 0
          AND sd.day >= r.first_day
          AND sd.day < r.end_day
)

-- Condition on suppliers `s`: on the platform, in the chosen departments, of the chosen
-- kinds, offering in the chosen categories. Follows a WHERE.
      s.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
      AND (len($categories) = 0 OR EXISTS (
            SELECT 1 FROM listings AS l
            WHERE l.platform = s.platform AND l.supplier_id = s.supplier_id
              AND list_contains($categories, l.category)))

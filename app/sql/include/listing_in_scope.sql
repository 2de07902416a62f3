-- Condition on listings `l` joined to their suppliers `s`: on the platform, supplier in the
-- chosen departments and of the chosen kinds, listing in the chosen categories. Follows a WHERE.
      l.platform = $platform
      AND (len($departments) = 0 OR list_contains($departments, s.department_code))
      AND (len($kinds) = 0 OR list_contains($kinds, s.kind))
      AND (len($categories) = 0 OR list_contains($categories, l.category))

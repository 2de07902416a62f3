-- The departments offered in the filters, in code order.
SELECT department_code, department_name
FROM departments
ORDER BY department_code

{% macro hash_pii(column) %}
    sha2(concat({{ column }}, '{{ var("pii_salt", "") }}'), 256)
{% endmacro %}

"""`AnyOf`: "this column is one of these ids", as one array parameter on PostgreSQL.

`filter(pk__in=ids)` makes Django build and bind one placeholder per id (and, for a foreign
key, normalise each value): for 1,000 ids that is milliseconds of Python per query, repeated
on every page of a sync. `AnyOf(F("listing_id"), ids)` sends `listing_id = ANY(%s)` with the
list as one parameter instead; elsewhere (SQLite in development) it is the plain `IN`.

    BoundPerson.objects.filter(AnyOf(F("listing_id"), ids))

The ids must be integers and the list not empty (an empty array has no type to compare
with): callers skip the query when there is nothing to read.
"""

from django.db.models import BooleanField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False  # a list of ints as it is: no per-value preparation
    output_field = BooleanField()

    def __init__(self, lhs, rhs):
        rhs = [int(value) for value in rhs]
        if not rhs:
            raise ValueError("AnyOf needs at least one id")
        super().__init__(lhs, rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        placeholders = ", ".join(["%s"] * len(self.rhs))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]

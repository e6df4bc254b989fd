"""factory_boy factories for the foundation: regions, organisations, users with roles."""

import itertools

import factory

from organisations.models import Membership, Organisation, Region, User
from organisations.roles import Role

_codes = itertools.count(100000)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"测试区{n}")
    code = factory.LazyFunction(lambda: str(next(_codes)))
    level = Region.Level.COUNTY

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(kwargs)
        parent.refresh_from_db()
        return type(parent).objects.add_child(parent, kwargs)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Organisation.Kind.COURT
    region = factory.SubFactory(RegionFactory)

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(kwargs)
        parent.refresh_from_db()
        return type(parent).objects.add_child(parent, kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "Test#Passw0rd")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(organisation, role=Role.CLERK, **kwargs) -> User:
    """A user with one active membership."""
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, organisation=organisation, role=role, is_primary=True)
    return user


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real, decodable photo in `image_format` (JPEG, PNG, WEBP), made by Pillow."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()

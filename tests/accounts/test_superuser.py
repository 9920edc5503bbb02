import pytest

from jaring.accounts.models import Role, User


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator_who_can_use_the_admin_site(client):
    User.objects.create_superuser("root", "root@example.org", "rahasia-123")
    user = User.objects.get(username="root")
    assert (user.role, user.is_staff) == (Role.ADMIN, True)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200

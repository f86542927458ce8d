def test_start_page_answers_in_german(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
    assert "Bildungskette" in response.content.decode()


def test_admin_lists_master_data(client, db, make_user):
    admin = make_user(username="root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    for path in ["/verwaltung/", "/verwaltung/core/tenant/", "/verwaltung/core/user/", "/verwaltung/core/auditentry/",
                 "/verwaltung/regions/region/?kind=kreis", "/verwaltung/organisations/organisation/"]:
        assert client.get(path).status_code == 200, path


def test_health_answers_ok_without_touching_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")

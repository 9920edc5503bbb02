from tests.factories import authenticator, current_code


def test_indonesian_is_the_default(client, db):
    body = client.get("/login/").content.decode()
    assert '<html lang="id">' in body
    assert "Nama pengguna" in body and "Kata sandi" in body


def test_an_english_browser_still_gets_indonesian_until_the_user_switches(client, db):
    english_browser = {"Accept-Language": "en-US,en;q=0.9"}
    assert "Kata sandi" in client.get("/login/", headers=english_browser).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Password" in client.get("/login/", headers=english_browser).content.decode()
    client.post("/i18n/setlang/", {"language": "id", "next": "/login/"})
    assert "Kata sandi" in client.get("/login/", headers=english_browser).content.decode()


def test_switching_to_english_and_back(client, officer):
    client.force_login(officer)
    assert "Pekerja" in client.get("/workers/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/workers/?q=a"})
    assert response.url == "/workers/?q=a"
    body = client.get("/workers/").content.decode()
    assert '<html lang="en">' in body
    assert "Workers" in body and "Programme officer" in body and "Log out" in body
    client.post("/i18n/setlang/", {"language": "id", "next": "/workers/"})
    body = client.get("/workers/").content.decode()
    assert "Petugas program" in body and "Keluar" in body


def test_login_and_logout(client, officer):
    authenticator(officer)  # set up at an earlier login
    response = client.post("/login/", {"username": officer.username, "password": "rahasia-123"})
    assert response.url == "/workers/"
    # An officer sees whole NIKs: the code from the authenticator app comes next.
    assert client.get("/workers/").url == "/account/two-factor/?next=%2Fworkers%2F"
    response = client.post(
        "/account/two-factor/", {"code": current_code(officer), "next": "/workers/"}
    )
    assert response.url == "/workers/"
    assert client.get("/workers/").status_code == 200
    assert client.get("/logout/").status_code == 405  # logging out takes a POST
    assert client.post("/logout/").url == "/login/"
    assert client.get("/workers/").status_code == 302


def test_wrong_password_is_refused_in_indonesian(client, officer):
    response = client.post("/login/", {"username": officer.username, "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()


def test_top_bar_names_the_role_and_region(client, enumerator, admin):
    client.force_login(enumerator)
    assert "Pendata · Kelurahan Pasiran" in client.get("/workers/").content.decode()
    client.force_login(admin)
    assert "Administrator · Seluruh Indonesia" in client.get("/workers/").content.decode()

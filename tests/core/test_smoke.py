def test_start_page_answers_in_german(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
    assert "Bildungskette" in response.content.decode()

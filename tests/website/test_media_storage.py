"""Media on S3-compatible storage (DESIGN §6), configured from the environment.

The settings are built in a subprocess from the environment, as a deployment starts; the
STORAGES and MEDIA_URL they produce are then used in this process against moto's in-process S3
(no network, no MinIO to run): uploads and renditions land in the bucket, never in MEDIA_ROOT,
and pages link them on the media domain."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from moto import mock_aws

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.template import Context, Template
from django.test import override_settings

from wagtail.models import Collection

from products.factories import ProductPageFactory

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "commune-market-media"
REGION = "ap-southeast-1"
MEDIA_DOMAIN = "media.example.org"
ACCESS_KEY = "AKIA" + secrets.token_hex(8).upper()
SECRET_KEY = secrets.token_urlsafe(30)

PRINT_SETTINGS = """
import json, os
import django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
on_s3 = hasattr(storage, "bucket_name")
secret = os.environ.get("AWS_S3_SECRET_ACCESS_KEY")
every_setting = repr({name: getattr(settings, name) for name in dir(settings) if name.isupper()})
print(json.dumps({
    "STORAGES": settings.STORAGES,
    "MEDIA_URL": settings.MEDIA_URL,
    "storage": type(storage).__module__ + "." + type(storage).__name__,
    "endpoint_url": storage.connection.meta.client.meta.endpoint_url if on_s3 else None,
    "keys_from_environment": on_s3 and storage.access_key == os.environ.get("AWS_S3_ACCESS_KEY_ID")
    and storage.secret_key == secret,
    "secret_in_a_setting": bool(secret) and secret in every_setting,
}))
"""


def run_as_deployed(code: str, module="config.settings.production", **env) -> subprocess.CompletedProcess:
    """Run code in a new process started with this environment, as a web process would be: none of
    this test run's AWS_* variables, keys or async switch."""
    unset = ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY", "ALLOWED_HOSTS")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("AWS_") and key not in unset
    }
    # The development settings refuse a public host name (DEBUG shows the settings).
    hosts = "localhost" if module.endswith(".dev") else "example.org"
    environment.update(DJANGO_SETTINGS_MODULE=module, ALLOWED_HOSTS=hosts, **env)
    environment.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    # Production refuses to start without one; a file no test here opens.
    environment.setdefault("DATABASE_URL", "sqlite:////nonexistent/commune-market-never-opened.sqlite3")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def settings_from_environment(module="config.settings.production", **env) -> tuple[str, dict]:
    """The settings (and the default storage) a process started with this environment has."""
    result = run_as_deployed(PRINT_SETTINGS, module, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout, json.loads(result.stdout)


S3_ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_S3_REGION_NAME": REGION,
    "AWS_S3_CUSTOM_DOMAIN": MEDIA_DOMAIN,
    "AWS_S3_ACCESS_KEY_ID": ACCESS_KEY,
    "AWS_S3_SECRET_ACCESS_KEY": SECRET_KEY,
}


# Settings from the environment -------------------------------------------------------------


@pytest.mark.parametrize("module", ["config.settings.production", "config.settings.dev"])
def test_without_a_bucket_media_stays_on_the_local_disk(module):
    _, built = settings_from_environment(module)

    assert built["STORAGES"]["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert built["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert built["MEDIA_URL"] == "/media/"


def test_a_bucket_in_the_environment_puts_media_on_s3_compatible_storage():
    # A MinIO server on the private network, media served through a CDN on MEDIA_DOMAIN.
    output, built = settings_from_environment(
        **S3_ENVIRONMENT, AWS_S3_ENDPOINT_URL="https://minio.internal:9000"
    )

    assert built["STORAGES"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": "https://minio.internal:9000",
            "region_name": REGION,
            "signature_version": "s3v4",
            "custom_domain": MEDIA_DOMAIN,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    # Static files stay with whitenoise in the web process.
    assert built["STORAGES"]["staticfiles"] == {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    }
    assert built["storage"] == "storages.backends.s3.S3Storage"
    assert built["endpoint_url"] == "https://minio.internal:9000"
    assert built["MEDIA_URL"] == f"https://{MEDIA_DOMAIN}/"
    # The keys reach the storage from the environment, and are in no setting.
    assert built["keys_from_environment"] is True
    assert built["secret_in_a_setting"] is False
    assert SECRET_KEY not in output
    assert ACCESS_KEY not in output


@pytest.mark.parametrize(
    ("env", "querystring_auth", "media_url"),
    [
        # A private bucket without a public domain: links are signed and expire.
        ({}, True, "/media/"),
        # A public-read bucket on the endpoint itself: plain links.
        ({"AWS_QUERYSTRING_AUTH": "0"}, False, "/media/"),
        # The custom domain may be given as a URL; only its host is kept.
        ({"AWS_S3_CUSTOM_DOMAIN": f"https://{MEDIA_DOMAIN}/"}, False, f"https://{MEDIA_DOMAIN}/"),
    ],
)
def test_signed_links_unless_media_is_public(env, querystring_auth, media_url):
    _, built = settings_from_environment(AWS_STORAGE_BUCKET_NAME=BUCKET, **env)

    options = built["STORAGES"]["default"]["OPTIONS"]
    assert options["querystring_auth"] is querystring_auth
    assert options["endpoint_url"] is None  # AWS itself
    assert built["MEDIA_URL"] == media_url


def test_production_with_media_on_s3_passes_the_deploy_check(tmp_path):
    result = run_as_deployed(
        "from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
        **S3_ENVIRONMENT,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        # Behind one TLS proxy, with the cache shared (website/checks.py warns otherwise).
        REDIS_URL="redis://127.0.0.1:6379/8",
        RATE_LIMIT_PROXY_COUNT="1",
        SITE_BASE_URL="https://example.org",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


# Uploads against an S3 bucket (moto, in process) -------------------------------------------


@pytest.fixture(scope="module")
def public_media_settings():
    """Served through a CDN (or the bucket's public domain) on MEDIA_DOMAIN."""
    _, built = settings_from_environment(**S3_ENVIRONMENT)
    return built


@pytest.fixture(scope="module")
def private_media_settings():
    """No public domain: links are signed."""
    environment = {key: value for key, value in S3_ENVIRONMENT.items() if key != "AWS_S3_CUSTOM_DOMAIN"}
    _, built = settings_from_environment(**environment)
    return built


@pytest.fixture
def bucket(request, monkeypatch, tmp_path, db):
    """The storage the settings describe (public media unless parametrized "private"), on a fresh
    bucket; MEDIA_ROOT an empty folder that must stay empty. Fake keys for moto, which answers
    boto3 in this process."""
    s3_settings = request.getfixturevalue(f"{getattr(request, 'param', 'public')}_media_settings")
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_S3_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_S3_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    media_root = tmp_path / "media"
    media_root.mkdir()
    with (
        mock_aws(),
        override_settings(
            STORAGES=s3_settings["STORAGES"], MEDIA_URL=s3_settings["MEDIA_URL"], MEDIA_ROOT=media_root
        ),
    ):
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield Bucket(s3, media_root)


class Bucket:
    def __init__(self, client, media_root):
        self.client = client
        self.media_root = media_root

    def object_keys(self) -> set[str]:
        listing = self.client.list_objects_v2(Bucket=BUCKET)
        return {item["Key"] for item in listing.get("Contents", [])}

    def head(self, key: str) -> dict:
        return self.client.head_object(Bucket=BUCKET, Key=key)

    def local_files(self) -> list[Path]:
        return [path for path in self.media_root.rglob("*") if path.is_file()]


def test_the_default_storage_is_the_bucket(bucket):
    # What Wagtail's image and document fields save through.
    default_storage.save("probe.txt", ContentFile(b"probe"))
    assert type(storages["default"]).__module__ == "storages.backends.s3"
    assert storages["default"].bucket_name == BUCKET
    assert bucket.object_keys() == {"probe.txt"}
    assert bucket.local_files() == []


def test_an_image_and_its_renditions_go_to_the_bucket_and_are_linked_on_the_media_domain(bucket):
    photo = wagtail_factories.ImageFactory(
        collection=Collection.get_first_root_node(), file__filename="thao-qua.jpg", title="Thảo quả"
    )
    rendition = photo.get_rendition("fill-80x80")

    assert photo.file.name == "original_images/thao-qua.jpg"
    assert rendition.file.name.startswith("images/thao-qua.")
    assert bucket.object_keys() == {photo.file.name, rendition.file.name}
    assert rendition.url == f"https://{MEDIA_DOMAIN}/{rendition.file.name}"
    assert photo.file.url == f"https://{MEDIA_DOMAIN}/original_images/thao-qua.jpg"
    # The rendition was made from the original read back from the bucket: a real 80×80 image.
    assert (rendition.width, rendition.height) == (80, 80)
    assert bucket.head(rendition.file.name)["ContentLength"] > 0
    # Unique names: browsers and the CDN may keep them for a year.
    assert bucket.head(rendition.file.name)["CacheControl"] == "public, max-age=31536000"
    assert bucket.head(photo.file.name)["CacheControl"] == "public, max-age=31536000"
    assert bucket.head(photo.file.name)["ContentType"] == "image/jpeg"

    html = Template("{% load wagtailimages_tags %}{% image photo fill-80x80 %}").render(
        Context({"photo": photo})
    )
    assert BeautifulSoup(html, "html.parser").img["src"] == rendition.url
    assert bucket.local_files() == []


def test_a_second_upload_with_the_same_name_does_not_overwrite_the_first(bucket):
    collection = Collection.get_first_root_node()
    first = wagtail_factories.ImageFactory(collection=collection, file__filename="anh.jpg")
    second = wagtail_factories.ImageFactory(collection=collection, file__filename="anh.jpg")

    assert first.file.name == "original_images/anh.jpg"
    assert second.file.name != first.file.name
    assert bucket.object_keys() == {first.file.name, second.file.name}


def test_a_page_links_its_pictures_on_the_media_domain(bucket, client, coop1):
    photo = wagtail_factories.ImageFactory(
        collection=Collection.get_first_root_node(), file__width=1600, file__height=1200
    )
    product = ProductPageFactory(
        parent=coop1,
        summary="",
        description=[
            {"type": "image", "value": {"image": photo.pk, "alt_text": "Thảo quả", "decorative": False}}
        ],
    )

    response = client.get(product.url)

    assert response.status_code == 200
    picture = BeautifulSoup(response.content, "html.parser").select_one(".story figure picture")
    links = [picture.img["src"]] + [source["srcset"] for source in picture.select("source")]
    assert len(links) == 3  # AVIF, WebP, JPEG
    for link in links:
        assert link.startswith(f"https://{MEDIA_DOMAIN}/images/")
        assert link.removeprefix(f"https://{MEDIA_DOMAIN}/") in bucket.object_keys()
    assert bucket.local_files() == []


def test_a_document_goes_to_the_bucket_and_is_served_from_the_media_domain(bucket, client):
    report = wagtail_factories.DocumentFactory(
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"%PDF-1.4 lab report", name="kiem-nghiem.pdf"),
    )

    assert bucket.object_keys() == {"documents/kiem-nghiem.pdf"}
    body = bucket.client.get_object(Bucket=BUCKET, Key="documents/kiem-nghiem.pdf")["Body"].read()
    assert body == b"%PDF-1.4 lab report"
    # Wagtail checks the document's privacy, then sends the browser to the media domain.
    response = client.get(report.url)
    assert response.status_code == 302
    assert response["Location"] == f"https://{MEDIA_DOMAIN}/documents/kiem-nghiem.pdf"
    assert bucket.local_files() == []


def test_no_credentials_in_media_links(bucket):
    photo = wagtail_factories.ImageFactory(collection=Collection.get_first_root_node())
    links = [
        photo.file.url,
        photo.get_rendition("max-800x600").url,
        storages["default"].url("documents/x.pdf"),
        settings.MEDIA_URL,
    ]

    for link in links:
        assert link.startswith(f"https://{MEDIA_DOMAIN}/")
        assert ACCESS_KEY not in link
        assert SECRET_KEY not in link
        assert "Signature" not in link  # public media: plain links the CDN can cache


@pytest.mark.parametrize("bucket", ["private"], indirect=True)
def test_without_a_public_domain_links_are_signed_and_expire(bucket):
    photo = wagtail_factories.ImageFactory(
        collection=Collection.get_first_root_node(), file__filename="thao-qua.jpg"
    )
    link = urlsplit(photo.get_rendition("fill-80x80").url)
    query = parse_qs(link.query)

    assert bucket.object_keys() == {"original_images/thao-qua.jpg", link.path.removeprefix("/")}
    assert (link.scheme, link.hostname) == ("https", f"{BUCKET}.s3.amazonaws.com")
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]  # Signature Version 4
    assert f"/{REGION}/s3/" in query["X-Amz-Credential"][0]
    assert query["X-Amz-Expires"] == ["3600"]
    assert "X-Amz-Signature" in query
    # The key's id names the key in a signed link (as S3 requires); the secret never appears.
    assert SECRET_KEY not in photo.file.url
    assert settings.MEDIA_URL == "/media/"
    assert bucket.local_files() == []

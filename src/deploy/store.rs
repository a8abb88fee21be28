//! The object store of a deploy target, through the `object_store` crate (S3
//! and any S3-compatible server, Google Cloud Storage, Azure Blob Storage):
//! signing, retries with exponential backoff, and the standard credential
//! environment variables are the crate's.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientConfigKey, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};

use crate::config::DeployTarget;

/// A connected target: the store and the prefix the site lives under.
pub struct Remote {
    store: Arc<dyn ObjectStore>,
    /// `""` or `"a/b/"`.
    prefix: String,
    /// `s3://bucket/prefix at https://endpoint`, for messages.
    pub describe: String,
}

/// The headers an object is stored with, which the store sends with it.
pub struct Headers {
    pub content_type: &'static str,
    pub cache_control: &'static str,
    pub content_encoding: Option<&'static str>,
}

impl Headers {
    /// The deploy manifest's: never cached, since it changes with each deploy.
    pub fn manifest() -> Headers {
        Headers { content_type: "text/plain; charset=utf-8", cache_control: "no-store", content_encoding: None }
    }
}

/// An object as a listing shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub size: u64,
    pub etag: String,
}

/// Retries with backoff: transient failures (timeouts, 5xx, a dropped
/// connection) are retried up to 5 times, 0.2 s → 10 s apart; a deploy of a
/// million objects meets some.
fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            base: 2.0,
        },
        max_retries: 5,
        retry_timeout: Duration::from_secs(120),
    }
}

/// esim's timeouts: a deploy should fail in seconds when the store cannot be
/// reached, but give a large file minutes. Set key by key, each only where the
/// environment does not set its own (`AWS_TIMEOUT`…), so that the client
/// settings the crate reads from the environment — a proxy (`AWS_PROXY_URL`,
/// `GOOGLE_PROXY_URL`, `AZURE_PROXY_URL`), certificates — are kept.
const TIMEOUTS: [(ClientConfigKey, &str); 2] =
    [(ClientConfigKey::ConnectTimeout, "10 seconds"), (ClientConfigKey::Timeout, "300 seconds")];

/// Applies [`TIMEOUTS`] to a builder through its `get`/`set` of client keys.
fn with_timeouts<B>(
    mut builder: B,
    get: impl Fn(&B, ClientConfigKey) -> Option<String>,
    set: impl Fn(B, ClientConfigKey, &str) -> B,
) -> B {
    for (key, value) in TIMEOUTS {
        if get(&builder, key).is_none() {
            builder = set(builder, key, value);
        }
    }
    builder
}

/// `s3://bucket/a/b` → (`s3`, `bucket`, `a/b/`).
fn split_url(url: &str) -> Result<(&str, &str, String), String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("{url:?} is not a storage URL"))?;
    let rest = rest.trim_end_matches('/');
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("{url:?} names no bucket"));
    }
    let prefix = prefix.trim_matches('/');
    let prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
    Ok((scheme, bucket, prefix))
}

/// Without keys the S3 client asks the cloud's instance metadata service; on
/// a publisher's laptop that hangs and then fails with an obscure message, so
/// esim says what is missing instead. Keys in the environment come first,
/// then the AWS CLI's profile files ([`super::aws_profile`]).
fn s3_credentials() -> Result<Option<super::aws_profile::ProfileKeys>, String> {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    if (set("AWS_ACCESS_KEY_ID") && set("AWS_SECRET_ACCESS_KEY"))
        || set("AWS_WEB_IDENTITY_TOKEN_FILE")
        || set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        || set("AWS_CONTAINER_CREDENTIALS_FULL_URI")
    {
        return Ok(None);
    }
    match super::aws_profile::load(&|k| std::env::var(k).ok())? {
        Some(keys) => Ok(Some(keys)),
        None => Err("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys) in the environment, or a profile in ~/.aws/credentials (AWS_PROFILE); esim never reads them from config.toml".into()),
    }
}

/// Connects to a target (no request is sent yet).
pub fn connect(target: &DeployTarget) -> Result<Remote, String> {
    let (scheme, bucket, prefix) = split_url(&target.url)?;
    let mut describe = target.url.clone();
    let store: Arc<dyn ObjectStore> = match scheme {
        "s3" => {
            let profile = s3_credentials()?;
            use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey as K};
            let mut b = with_timeouts(
                AmazonS3Builder::from_env().with_bucket_name(bucket).with_retry(retry()),
                |b, k| b.get_config_value(&K::Client(k)),
                |b, k, v| b.with_config(K::Client(k), v),
            );
            if let Some(keys) = profile {
                describe = format!("{describe} (AWS profile {})", keys.profile);
                b = b.with_access_key_id(keys.access_key_id).with_secret_access_key(keys.secret_access_key);
                if let Some(token) = keys.session_token {
                    b = b.with_token(token);
                }
                // The environment's region, then the target's (below), win over the profile's.
                let env_region = std::env::var_os("AWS_REGION").or_else(|| std::env::var_os("AWS_DEFAULT_REGION"));
                if let Some(region) = keys.region.filter(|_| env_region.is_none()) {
                    b = b.with_region(region);
                }
            }
            if let Some(endpoint) = &target.endpoint {
                describe = format!("{describe} at {endpoint}");
                b = b
                    .with_endpoint(endpoint)
                    .with_virtual_hosted_style_request(false)
                    .with_allow_http(endpoint.starts_with("http://"));
            }
            if let Some(region) = &target.region {
                b = b.with_region(region);
            }
            Arc::new(b.build().map_err(|e| format!("{describe}: {e}"))?)
        }
        // The address is https://storage.googleapis.com unless the publisher names
        // another (`GOOGLE_BASE_URL`, or `gcs_base_url` in the service account's
        // key, as for an emulator); plain http is allowed for that one, as
        // object_store's builder for Google Cloud Storage allows it by default.
        "gs" => {
            use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey as K};
            let b = with_timeouts(
                GoogleCloudStorageBuilder::from_env().with_bucket_name(bucket).with_retry(retry()),
                |b, k| b.get_config_value(&K::Client(k)),
                |b, k, v| b.with_config(K::Client(k), v),
            );
            Arc::new(b.build().map_err(|e| format!("{describe}: {e}"))?)
        }
        "az" => {
            use object_store::azure::{AzureConfigKey as K, MicrosoftAzureBuilder};
            let mut b = with_timeouts(
                MicrosoftAzureBuilder::from_env().with_container_name(bucket).with_retry(retry()),
                |b, k| b.get_config_value(&K::Client(k)),
                |b, k, v| b.with_config(K::Client(k), v),
            );
            // An account's own address (Azure Stack, a sovereign cloud, Azurite:
            // `http://host:10000/ACCOUNT`), instead of ACCOUNT.blob.core.windows.net.
            if let Some(endpoint) = &target.endpoint {
                describe = format!("{describe} at {endpoint}");
                b = b.with_endpoint(endpoint.clone()).with_allow_http(endpoint.starts_with("http://"));
            }
            Arc::new(b.build().map_err(|e| format!("{describe}: {e}"))?)
        }
        other => return Err(format!("{:?}: unknown storage scheme {other:?} (s3, gs or az)", target.url)),
    };
    Ok(Remote { store, prefix, describe })
}

fn is_not_found(e: &object_store::Error) -> bool {
    matches!(e, object_store::Error::NotFound { .. })
}

impl Remote {
    /// The object's path: the file's name as it is (`ObjectPath::from` would
    /// percent-encode `~`, `%`, `#`… into the key, and the object would be
    /// served at another URL than the file's). Only control characters are
    /// refused.
    fn path(&self, key: &str) -> Result<ObjectPath, String> {
        ObjectPath::parse(format!("{}{key}", self.prefix))
            .map_err(|e| format!("{key}: this file name cannot be an object key unchanged ({e}); rename it"))
    }

    fn fail(&self, what: &str, key: &str, e: object_store::Error) -> String {
        format!("{}: cannot {what} {key}: {e}", self.describe)
    }

    /// Uploads one object; returns its ETag.
    pub async fn put(&self, key: &str, bytes: Vec<u8>, headers: &Headers) -> Result<String, String> {
        let mut attributes = Attributes::new();
        attributes.insert(Attribute::ContentType, headers.content_type.into());
        attributes.insert(Attribute::CacheControl, headers.cache_control.into());
        if let Some(encoding) = headers.content_encoding {
            attributes.insert(Attribute::ContentEncoding, encoding.into());
        }
        let options = PutOptions { attributes, ..PutOptions::default() };
        let result = self
            .store
            .put_opts(&self.path(key)?, PutPayload::from(bytes), options)
            .await
            .map_err(|e| self.fail("upload", key, e))?;
        Ok(result.e_tag.unwrap_or_else(|| "-".into()))
    }

    /// An object's bytes and ETag; None when there is no such object.
    pub async fn get(&self, key: &str) -> Result<Option<(Vec<u8>, String)>, String> {
        match self.store.get(&self.path(key)?).await {
            Ok(result) => {
                let etag = result.meta.e_tag.clone().unwrap_or_else(|| "-".into());
                let bytes = result.bytes().await.map_err(|e| self.fail("download", key, e))?;
                Ok(Some((bytes.to_vec(), etag)))
            }
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(self.fail("read", key, e)),
        }
    }

    /// An object's ETag; None when there is no such object.
    pub async fn etag(&self, key: &str) -> Result<Option<String>, String> {
        match self.store.head(&self.path(key)?).await {
            Ok(meta) => Ok(Some(meta.e_tag.unwrap_or_else(|| "-".into()))),
            Err(e) if is_not_found(&e) => Ok(None),
            Err(e) => Err(self.fail("read", key, e)),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), String> {
        match self.store.delete(&self.path(key)?).await {
            Err(e) if !is_not_found(&e) => Err(self.fail("delete", key, e)),
            _ => Ok(()),
        }
    }

    /// Every object under the prefix, by key (one listing of the bucket).
    pub async fn list(&self) -> Result<HashMap<String, Listed>, String> {
        let prefix = ObjectPath::from(self.prefix.trim_end_matches('/'));
        let prefix = if self.prefix.is_empty() { None } else { Some(&prefix) };
        let mut stream = self.store.list(prefix);
        let mut out = HashMap::new();
        while let Some(meta) = stream.try_next().await.map_err(|e| format!("{}: cannot list: {e}", self.describe))? {
            let full = meta.location.to_string();
            let key = full.strip_prefix(&self.prefix).unwrap_or(&full).to_string();
            out.insert(key, Listed { size: meta.size, etag: meta.e_tag.unwrap_or_else(|| "-".into()) });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_bucket_and_prefix() {
        assert_eq!(split_url("s3://b").unwrap(), ("s3", "b", String::new()));
        assert_eq!(split_url("s3://b/kz/site/").unwrap(), ("s3", "b", "kz/site/".to_string()));
        assert!(split_url("s3:///x").is_err());
    }
}

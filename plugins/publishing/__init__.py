"""Publishing the built site: minify, plan a sync against the S3 bucket, upload, invalidate CloudFront.

Not a Pelican plugin: `invoke publish` calls publishing.deploy.publish() after the build.
"""

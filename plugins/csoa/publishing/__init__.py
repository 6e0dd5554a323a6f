"""Publishing a built site: minify, plan a sync against S3, upload, invalidate CloudFront."""

import { Controller, Get, Header } from '@nestjs/common';
import { OPENAPI_DOCUMENT } from './openapi-document';

@Controller('api')
export class OpenApiController {
  @Get('openapi.json')
  @Header('Cache-Control', 'public, max-age=300')
  document(): typeof OPENAPI_DOCUMENT {
    return OPENAPI_DOCUMENT;
  }
}
